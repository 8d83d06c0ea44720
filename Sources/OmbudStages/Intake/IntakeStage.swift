import Foundation
import OmbudCore
import OmbudRuntime
import OmbudText

/// `ombud-intake`: validates an inbound `ombud.ticket.v1`, redacts card data and IBANs before anything is stored,
/// detects the language, dedupes on (channel, external_id), threads a follow-up onto its open case or opens a new
/// one, and hands the ticket to classify. A ticket that fails validation is parked with the reason (the runtime
/// records it in `ombud.parked_messages` and the parked queue): never dropped.
public struct IntakeStage: Stage {
    public let name = "intake"
    let limits: TicketLimits
    let languages: LanguageIdentifier
    /// A follow-up without a thread id joins a case of the same customer and order contacted within this window.
    let threadingWindowDays: Int

    public init(limits: TicketLimits = .standard, languages: LanguageIdentifier, threadingWindowDays: Int = 14) {
        self.limits = limits
        self.languages = languages
        self.threadingWindowDays = threadingWindowDays
    }

    public func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult {
        let ticket: TicketV1
        switch TicketValidation.validate(message.body, limits: limits) {
        case .success(let valid): ticket = valid
        case .failure(let rejection): throw StageFailure.permanent("invalid ticket: \(rejection)")
        }
        let db = context.database
        let ticketId = MessageIds.ticket(channel: ticket.channel, externalId: ticket.externalId)
        if let caseId = try CaseStore.existingTicket(ticketId, in: db) {
            // The same ticket published again (a channel retry): already on its way.
            context.logger.info("duplicate ticket ignored", metadata: [
                "case_id": .string(MessageIds.canonical(caseId)), "external_id": .string(ticket.externalId)])
            return StageResult(caseId: MessageIds.canonical(caseId))
        }

        let body = Redactor.redact(ticket.body)
        let subject = ticket.subject.map(Redactor.redact)
        let text = subject.map { $0.text + "\n" + body.text } ?? body.text
        let guess = languages.identify(text)
        let language = guess.language == "und" ? ticket.customer.locale.flatMap(Self.languageOfLocale) : guess.language
        let customerRef = ticket.customer.id ?? "email:" + (ticket.customer.email ?? "").lowercased()
        let references = Set([ticket.orderRef].compactMap { $0 }
            + EntityExtractor.extract(from: body.text, receivedAt: ticket.receivedAt, language: language).orderRefs)

        let caseId: UUID
        if let open = try CaseStore.openCase(channel: ticket.channel, threadId: ticket.threadId, customerRef: customerRef,
                                             orderRefs: references.sorted(), receivedAt: ticket.receivedAt,
                                             windowDays: threadingWindowDays, in: db) {
            caseId = open
            try CaseStore.addContact(caseId: caseId, threadId: ticket.threadId, receivedAt: ticket.receivedAt, in: db)
        } else {
            // The first ticket's id is the case's id: deterministic, so a re-run batch opens the same case.
            caseId = ticketId
            try CaseStore.createCase(id: caseId, channel: ticket.channel, customerRef: customerRef,
                                     customerId: ticket.customer.id, threadId: ticket.threadId, language: language,
                                     receivedAt: ticket.receivedAt, in: db)
        }
        let findings = body.findings + (subject?.findings ?? [])
        let attachments = ticket.attachments.map { ["name": Redactor.redact($0.name).text, "content_type": $0.contentType,
                                                    "size": String($0.size)] }
        try CaseStore.insertTicket(
            CaseStore.Ticket(ticketId: ticketId, caseId: caseId, channel: ticket.channel, externalId: ticket.externalId,
                             threadId: ticket.threadId, customerId: ticket.customer.id,
                             customerEmail: ticket.customer.email, locale: ticket.customer.locale,
                             subject: subject?.text, body: body.text, orderRef: ticket.orderRef,
                             attachmentCount: ticket.attachments.count, language: language, receivedAt: ticket.receivedAt),
            redactions: try JSONText.encode(findings), languageConfidence: guess.language == "und" ? nil : guess.confidence,
            attachments: try JSONText.encode(attachments), in: db)
        return StageResult(
            outputs: [try PipelineHop.forward(caseId: caseId, ticketId: ticketId, trace: message.messageId,
                                              to: .classify, names: context.names)],
            caseId: MessageIds.canonical(caseId))
    }

    /// "de-DE" → "de".
    static func languageOfLocale(_ locale: String) -> String? {
        let language = locale.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() }
        return language?.isEmpty == false ? language : nil
    }
}
