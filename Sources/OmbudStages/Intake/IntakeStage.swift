import Foundation
import OmbudCore
import OmbudRuntime
import Postgres
import OmbudText

/// `ombud-intake`: validates an inbound `ombud.ticket.v1`, redacts card data and IBANs before anything is stored,
/// detects the language, dedupes on (channel, external_id), threads a follow-up onto its open case or opens a new
/// one, and hands the ticket to classify. A ticket that fails validation is parked with the reason (the runtime
/// records it in `ombud.parked_messages` and the parked queue): never dropped.
///
/// Set-based: a batch is read and written with a few statements; tickets of the batch that belong together
/// (same thread) are threaded in memory exactly as if they had been handled one after the other.
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
        try handle(batch: [message], in: context)[0]
    }

    public func handle(batch messages: [StageMessage], in context: StageContext) throws -> [StageResult] {
        let db = context.database
        // Bad input fails the batch here; the runtime then re-runs it message by message and parks just the bad one.
        let prepared = try messages.map { message -> PreparedTicket in
            switch TicketValidation.validate(message.body, limits: limits) {
            case .success(let ticket): return prepare(ticket)
            case .failure(let rejection): throw StageFailure.permanent("invalid ticket: \(rejection)")
            }
        }
        let stored = try CaseStore.existingTickets(prepared.map(\.ticketId), in: db)

        var seen: Set<UUID> = []
        var newCases: [UUID: CaseStore.NewCase] = [:]
        var newCaseOrder: [UUID] = []
        var newCaseByThread: [String: UUID] = [:]
        // Each ticket's case, or nil for a ticket already stored; tickets of a new case are counted once it is opened.
        var assigned: [UUID?] = []
        for ticket in prepared {
            if stored.contains(ticket.ticketId) || !seen.insert(ticket.ticketId).inserted {
                // The same ticket published again (a channel retry): already on its way.
                context.logger.info("duplicate ticket ignored", metadata: ["external_id": .string(ticket.source.externalId)])
                assigned.append(nil)
                continue
            }
            let source = ticket.source
            let threadKey = source.threadId.map { CaseStore.threadKey(channel: source.channel, threadId: $0) }
            var caseId: UUID
            if let threadKey, let sameBatch = newCaseByThread[threadKey] {
                caseId = sameBatch
            } else if source.threadId != nil || !ticket.orderRefs.isEmpty,
                      let open = try CaseStore.openCase(channel: source.channel, threadId: source.threadId,
                                                        customerRef: ticket.customerRef, orderRefs: ticket.orderRefs,
                                                        receivedAt: source.receivedAt, windowDays: threadingWindowDays, in: db) {
                caseId = open
            } else {
                // The first ticket's id is the case's id: deterministic, so a re-run batch opens the same case.
                caseId = ticket.ticketId
                newCases[caseId] = CaseStore.NewCase(
                    id: caseId, channel: source.channel, customerRef: ticket.customerRef, customerId: source.customer.id,
                    threadId: source.threadId, language: ticket.language, contacts: 0, lastContactAt: source.receivedAt)
                newCaseOrder.append(caseId)
                if let threadKey { newCaseByThread[threadKey] = caseId }
            }
            if newCases[caseId] != nil {
                newCases[caseId]!.contacts += 1
                newCases[caseId]!.lastContactAt = max(newCases[caseId]!.lastContactAt, source.receivedAt)
            }
            assigned.append(caseId)
        }
        // Another lane may have opened the case of one of these threads since `openCase` looked: the database keeps one
        // open case per thread, so ours is not opened and its tickets join that one, as follow-ups.
        let opened = try CaseStore.createCases(newCaseOrder.map { newCases[$0]! }, in: db)
        let lost = newCaseOrder.filter { !opened.contains($0) }
        var winner: [UUID: UUID] = [:]
        if !lost.isEmpty {
            let threads = lost.compactMap { id in newCases[id]!.threadId.map { (channel: newCases[id]!.channel, threadId: $0) } }
            let open = try CaseStore.openCasesByThread(threads, in: db)
            for id in lost {
                let lostCase = newCases[id]!
                guard let threadId = lostCase.threadId,
                      let other = open[CaseStore.threadKey(channel: lostCase.channel, threadId: threadId)] else {
                    throw StageFailure.transient("case \(id) was opened concurrently and its thread's open case is gone; try again")
                }
                context.logger.info("threaded onto the case another lane opened", metadata: ["case_id": .string(MessageIds.canonical(other))])
                winner[id] = other
                newCases[id] = nil
            }
        }

        var contacts: [UUID: (count: Int, threadId: String?, lastContactAt: Date)] = [:]
        var contactOrder: [UUID] = []
        var rows: [CaseStore.NewTicket] = []
        var results: [StageResult] = []
        for ((message, ticket), assignedCase) in zip(zip(messages, prepared), assigned) {
            guard let assignedCase else { results.append(StageResult()); continue }
            let caseId = winner[assignedCase] ?? assignedCase
            let source = ticket.source
            if newCases[caseId] == nil {
                if contacts[caseId] == nil { contactOrder.append(caseId) }
                let previous = contacts[caseId]
                contacts[caseId] = ((previous?.count ?? 0) + 1, previous?.threadId ?? source.threadId,
                                    max(previous?.lastContactAt ?? source.receivedAt, source.receivedAt))
            }
            rows.append(CaseStore.NewTicket(
                ticket: CaseStore.Ticket(ticketId: ticket.ticketId, caseId: caseId, channel: source.channel,
                                         externalId: source.externalId, threadId: source.threadId,
                                         customerId: source.customer.id, customerEmail: source.customer.email,
                                         locale: source.customer.locale, subject: ticket.subject, body: ticket.body,
                                         orderRef: source.orderRef, attachmentCount: source.attachments.count,
                                         language: ticket.language, receivedAt: source.receivedAt),
                redactions: ticket.redactions, languageConfidence: ticket.languageConfidence,
                attachments: ticket.attachments))
            results.append(StageResult(
                outputs: [try PipelineHop.forward(caseId: caseId, ticketId: ticket.ticketId, trace: message.messageId,
                                                  to: .classify, names: context.names)],
                caseId: MessageIds.canonical(caseId)))
        }
        do {
            try CaseStore.addContacts(contactOrder.map { ($0, contacts[$0]!.count, contacts[$0]!.threadId, contacts[$0]!.lastContactAt) },
                                      in: db)
        } catch let error as PostgresError where error.category == .uniqueViolation && error.constraint == "cases_one_open_per_thread" {
            // A case found by order was to take a thread id that another lane has just given its new case: run again,
            // and threading finds that case.
            throw StageFailure.transient("another lane opened the case of this thread meanwhile: \(error.message)")
        }
        try CaseStore.insertTickets(rows, in: db)
        return results
    }

    /// A valid ticket redacted and read, before the database is asked anything.
    struct PreparedTicket {
        var source: TicketV1
        var ticketId: UUID
        var subject: String?
        var body: String
        var redactions: String
        var attachments: String
        var language: String?
        var languageConfidence: Double?
        var customerRef: String
        /// The order references the ticket names (its `order_ref` and any in the text), for threading.
        var orderRefs: [String]
    }

    func prepare(_ ticket: TicketV1) -> PreparedTicket {
        let body = Redactor.redact(ticket.body)
        let subject = ticket.subject.map(Redactor.redact)
        let text = subject.map { $0.text + "\n" + body.text } ?? body.text
        let guess = languages.identify(text)
        let language = guess.language == "und" ? ticket.customer.locale.flatMap(Self.languageOfLocale) : guess.language
        let references = Set([ticket.orderRef].compactMap { $0 }
            + EntityExtractor.orderReferences(in: body.text))
        let attachments = ticket.attachments.map { ["name": Redactor.redact($0.name).text, "content_type": $0.contentType,
                                                    "size": String($0.size)] }
        return PreparedTicket(
            source: ticket, ticketId: MessageIds.ticket(channel: ticket.channel, externalId: ticket.externalId),
            subject: subject?.text, body: body.text,
            redactions: (try? JSONText.encode(body.findings + (subject?.findings ?? []))) ?? "[]",
            attachments: (try? JSONText.encode(attachments)) ?? "[]",
            language: language, languageConfidence: guess.language == "und" ? nil : guess.confidence,
            customerRef: ticket.customer.id ?? "email:" + (ticket.customer.email ?? "").lowercased(),
            orderRefs: references.sorted())
    }

    /// "de-DE" → "de".
    static func languageOfLocale(_ locale: String) -> String? {
        let language = locale.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() }
        return language?.isEmpty == false ? language : nil
    }
}
