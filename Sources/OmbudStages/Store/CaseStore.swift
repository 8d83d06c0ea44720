import Foundation
import OmbudCore
import Postgres

/// SQL for `ombud.cases` and `ombud.case_messages` (the tickets). Every statement the stages run against these
/// two tables is here.
enum CaseStore {
    /// A stored ticket, as the later stages read it.
    struct Ticket {
        var ticketId: UUID
        var caseId: UUID
        var channel: String
        var externalId: String
        var threadId: String?
        var customerId: String?
        var customerEmail: String?
        var locale: String?
        var subject: String?
        var body: String
        var orderRef: String?
        var attachmentCount: Int
        var language: String?
        var receivedAt: Date

        /// What the models read: the subject line and the body.
        var text: String { subject.map { $0 + "\n" + body } ?? body }
    }

    /// Which of these tickets intake already stored (a channel published them again).
    static func existingTickets(_ ticketIds: [UUID], in db: PostgresConnection) throws -> Set<UUID> {
        Set(try db.query("SELECT ticket_id FROM ombud.case_messages WHERE ticket_id = ANY($1::uuid[])",
                         [.textArray(ticketIds.map(MessageIds.canonical))]).map { try $0.decode(UUID.self, column: 0) })
    }

    /// The open case a follow-up belongs to: the same thread on the same channel, or the same customer and one of
    /// `orderRefs` with a contact in the last `windowDays` days. Closed cases are never reopened.
    static func openCase(channel: String, threadId: String?, customerRef: String, orderRefs: [String],
                         receivedAt: Date, windowDays: Int, in db: PostgresConnection) throws -> UUID? {
        try db.query("""
            SELECT id FROM ombud.cases
            WHERE status <> 'closed'
              AND ((thread_id IS NOT NULL AND channel = $1 AND thread_id = $2)
                   OR (customer_ref = $3 AND order_id = ANY($4::text[])
                       AND last_contact_at >= $5::timestamptz - make_interval(days => $6::int)))
            ORDER BY last_contact_at DESC NULLS LAST LIMIT 1
            """, [.text(channel), threadId.map(PostgresValue.text) ?? .null, .text(customerRef),
                  .textArray(orderRefs), .timestamp(receivedAt), .int(Int64(windowDays))])
            .first.map { try $0.decode(UUID.self, column: 0) }
    }

    /// A case intake opens.
    struct NewCase {
        var id: UUID
        var channel: String
        var customerRef: String
        var customerId: String?
        var threadId: String?
        var language: String?
        var contacts: Int
        var lastContactAt: Date
    }

    /// Opens cases, except where another lane has meanwhile opened the open case of the same thread (the unique index
    /// `cases_one_open_per_thread`, migration 0009): such a case is not inserted. Returns the ids inserted; the caller
    /// threads the others' tickets onto the winner (`openCasesByThread`). Inserted in thread order, so two lanes
    /// opening cases for the same threads wait on each other in one order instead of deadlocking.
    static func createCases(_ cases: [NewCase], in db: PostgresConnection) throws -> Set<UUID> {
        guard !cases.isEmpty else { return [] }
        let cases = cases.sorted { ($0.channel, $0.threadId ?? "", MessageIds.canonical($0.id)) < ($1.channel, $1.threadId ?? "", MessageIds.canonical($1.id)) }
        return Set(try db.query("""
            INSERT INTO ombud.cases (id, channel, customer_ref, customer_id, thread_id, language, stage, contacts,
                                     last_contact_at)
            SELECT i::uuid, ch, cr, ci, th, l, 'classify', n::int, at::timestamptz
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                 WITH ORDINALITY AS u(i, ch, cr, ci, th, l, n, at, o)
            ORDER BY o
            ON CONFLICT (channel, thread_id) WHERE thread_id IS NOT NULL AND status <> 'closed' DO NOTHING
            RETURNING id
            """, [.textArray(cases.map { MessageIds.canonical($0.id) }), .textArray(cases.map(\.channel)),
                  .textArray(cases.map(\.customerRef)), .textArray(cases.map(\.customerId)), .textArray(cases.map(\.threadId)),
                  .textArray(cases.map(\.language)), .textArray(cases.map { String($0.contacts) }),
                  .textArray(try cases.map { try timestampText($0.lastContactAt) })]).map { try $0.decode(UUID.self, column: 0) })
    }

    /// How a (channel, thread id) is keyed in memory: the NUL cannot occur in either.
    static func threadKey(channel: String, threadId: String) -> String { channel + "\u{0}" + threadId }

    /// The open case of each (channel, thread id), keyed by `threadKey`: at most one each (`cases_one_open_per_thread`).
    static func openCasesByThread(_ threads: [(channel: String, threadId: String)], in db: PostgresConnection) throws -> [String: UUID] {
        guard !threads.isEmpty else { return [:] }
        var found: [String: UUID] = [:]
        for row in try db.query("""
            SELECT c.channel, c.thread_id, c.id FROM ombud.cases c
            JOIN unnest($1::text[], $2::text[]) AS k(ch, th) ON c.channel = k.ch AND c.thread_id = k.th
            WHERE c.status <> 'closed'
            """, [.textArray(threads.map(\.channel)), .textArray(threads.map(\.threadId))]) {
            found[threadKey(channel: try row.decode(String.self, column: 0), threadId: try row.decode(String.self, column: 1))] =
                try row.decode(UUID.self, column: 2)
        }
        return found
    }

    /// Follow-ups arrived on open cases: each case is worked on again (an agent's claim stays). A case found by
    /// customer and order takes the follow-up's thread id, unless another open case already has that thread.
    static func addContacts(_ contacts: [(caseId: UUID, count: Int, threadId: String?, lastContactAt: Date)],
                            in db: PostgresConnection) throws {
        guard !contacts.isEmpty else { return }
        try lockCases(contacts.map(\.caseId), in: db)
        try db.query("""
            UPDATE ombud.cases c SET contacts = c.contacts + u.n::int,
                   last_contact_at = greatest(c.last_contact_at, u.at::timestamptz),
                   thread_id = CASE WHEN c.thread_id IS NOT NULL OR u.th IS NULL THEN c.thread_id
                                    WHEN EXISTS (SELECT 1 FROM ombud.cases o WHERE o.channel = c.channel AND o.thread_id = u.th
                                                 AND o.status <> 'closed' AND o.id <> c.id) THEN NULL
                                    ELSE u.th END,
                   stage = 'classify',
                   status = CASE WHEN c.status = 'claimed' THEN c.status ELSE 'open' END,
                   version = c.version + 1, updated_at = now()
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, n, th, at)
            WHERE c.id = u.id
            """, [.textArray(contacts.map { MessageIds.canonical($0.caseId) }), .textArray(contacts.map { String($0.count) }),
                  .textArray(contacts.map(\.threadId)), .textArray(try contacts.map { try timestampText($0.lastContactAt) })])
    }

    /// A stored ticket with what only intake knows about it.
    struct NewTicket {
        var ticket: Ticket
        var redactions: String
        var languageConfidence: Double?
        var attachments: String
    }

    static func insertTickets(_ rows: [NewTicket], in db: PostgresConnection) throws {
        guard !rows.isEmpty else { return }
        let tickets = rows.map(\.ticket)
        try db.query("""
            INSERT INTO ombud.case_messages (ticket_id, case_id, channel, external_id, thread_id, customer_id,
                customer_email, locale, subject, body, order_ref, attachments, redactions, language,
                language_confidence, received_at)
            SELECT t::uuid, c::uuid, ch, ex, th, cu, em, lo, su, bo, orf, att::jsonb, red::jsonb, la, lc::numeric,
                   at::timestamptz
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                        $16::text[]) AS u(t, c, ch, ex, th, cu, em, lo, su, bo, orf, att, red, la, lc, at)
            """, [.textArray(tickets.map { MessageIds.canonical($0.ticketId) }),
                  .textArray(tickets.map { MessageIds.canonical($0.caseId) }), .textArray(tickets.map(\.channel)),
                  .textArray(tickets.map(\.externalId)), .textArray(tickets.map(\.threadId)),
                  .textArray(tickets.map(\.customerId)), .textArray(tickets.map(\.customerEmail)),
                  .textArray(tickets.map(\.locale)), .textArray(tickets.map(\.subject)), .textArray(tickets.map(\.body)),
                  .textArray(tickets.map(\.orderRef)), .textArray(rows.map(\.attachments)), .textArray(rows.map(\.redactions)),
                  .textArray(tickets.map(\.language)),
                  .textArray(rows.map { $0.languageConfidence.map { "\(Decimal4.rounded($0))" } }),
                  .textArray(try tickets.map { try timestampText($0.receivedAt) })])
    }

    /// A timestamp as the server reads it inside a text array.
    static func timestampText(_ date: Date) throws -> String? {
        try PostgresValue.timestamp(date).textRepresentation()
    }

    /// A batch's tickets in one query, by id; a missing id is simply absent.
    static func tickets(_ ticketIds: [UUID], in db: PostgresConnection) throws -> [UUID: Ticket] {
        var tickets: [UUID: Ticket] = [:]
        for row in try db.query("""
            SELECT ticket_id, case_id, channel, external_id, thread_id, customer_id, customer_email, locale, subject,
                   body, order_ref, jsonb_array_length(attachments), language, received_at
            FROM ombud.case_messages WHERE ticket_id = ANY($1::uuid[])
            """, [.textArray(ticketIds.map(MessageIds.canonical))]) {
            let ticket = try ticket(row)
            tickets[ticket.ticketId] = ticket
        }
        return tickets
    }

    private static func ticket(_ row: PostgresRow) throws -> Ticket {
        Ticket(ticketId: try row.decode(UUID.self, column: 0), caseId: try row.decode(UUID.self, column: 1),
                      channel: try row.decode(String.self, column: 2), externalId: try row.decode(String.self, column: 3),
                      threadId: try row.decode(String?.self, column: 4), customerId: try row.decode(String?.self, column: 5),
                      customerEmail: try row.decode(String?.self, column: 6), locale: try row.decode(String?.self, column: 7),
                      subject: try row.decode(String?.self, column: 8), body: try row.decode(String.self, column: 9),
                      orderRef: try row.decode(String?.self, column: 10), attachmentCount: try row.decode(Int.self, column: 11),
                      language: try row.decode(String?.self, column: 12), receivedAt: try row.decode(Date.self, column: 13))
    }

    /// When each ticket of the cases was received, oldest first: the repeat-contact guardrail counts those up to
    /// the ticket it decides on.
    static func contactTimes(caseIds: [UUID], in db: PostgresConnection) throws -> [UUID: [Date]] {
        var times: [UUID: [Date]] = [:]
        for row in try db.query("""
            SELECT case_id, received_at FROM ombud.case_messages WHERE case_id = ANY($1::uuid[]) ORDER BY received_at
            """, [.textArray(caseIds.map(MessageIds.canonical))]) {
            times[try row.decode(UUID.self, column: 0), default: []].append(try row.decode(Date.self, column: 1))
        }
        return times
    }

    /// The orders the cases are about, for the cases where an earlier ticket matched one.
    static func caseOrders(_ caseIds: [UUID], in db: PostgresConnection) throws -> [UUID: String] {
        var orders: [UUID: String] = [:]
        for row in try db.query("SELECT id, order_id FROM ombud.cases WHERE id = ANY($1::uuid[]) AND order_id IS NOT NULL",
                                [.textArray(caseIds.map(MessageIds.canonical))]) {
            orders[try row.decode(UUID.self, column: 0)] = try row.decode(String.self, column: 1)
        }
        return orders
    }

    /// Locks cases in id order. Intake, resolve and escalate update `cases`, each with statements whose row order is
    /// the planner's; a stage that takes all its batch's case locks first, in one order, waits for another stage
    /// instead of deadlocking with it (a deadlock rolls the whole batch back into the slow, one-by-one path).
    static func lockCases(_ caseIds: [UUID], in db: PostgresConnection) throws {
        try db.query("SELECT 1 FROM ombud.cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE",
                     [.textArray(Set(caseIds).map(MessageIds.canonical))])
    }

    /// The resolve stage's decisions on their cases, one statement, with what classify and lookup found (the middle
    /// stages write only their own tables, so fewer stages contend for a case's row); an agent's claim or close is
    /// never overridden by the machine. The caller has locked the cases (`lockCases`). Several tickets of one case
    /// update it once, as if one after the other: the last decision, the last customer and order found, one version
    /// per ticket.
    static func recordDecisions(_ rows: [(caseId: UUID, decision: Decision, confidence: Double, customerId: String?,
                                          orderId: String?)], in db: PostgresConnection) throws {
        let cases = perCase(rows, caseId: \.caseId) { earlier, later in
            (later.caseId, later.decision, later.confidence, later.customerId ?? earlier.customerId,
             later.orderId ?? earlier.orderId)
        }
        try db.query("""
            UPDATE ombud.cases c SET outcome = u.outcome, rule = u.rule, intent = u.intent,
                   intent_confidence = u.confidence::numeric, customer_id = coalesce(u.customer_id, c.customer_id),
                   order_id = coalesce(u.order_id, c.order_id),
                   status = CASE WHEN c.status IN ('claimed', 'closed') THEN c.status ELSE u.outcome END,
                   stage = CASE WHEN u.outcome = 'escalated' THEN 'escalate' ELSE 'done' END,
                   decided_at = clock_timestamp(), version = c.version + u.tickets, updated_at = now()
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
                 AS u(id, outcome, rule, intent, confidence, customer_id, order_id, tickets)
            WHERE c.id = u.id
            """, [.textArray(cases.map { MessageIds.canonical($0.row.caseId) }), .textArray(cases.map(\.row.decision.outcome.rawValue)),
                  .textArray(cases.map(\.row.decision.rule)), .textArray(cases.map(\.row.decision.intent.rawValue)),
                  .textArray(cases.map { "\(Decimal4.rounded($0.row.confidence))" }), .textArray(cases.map(\.row.customerId)),
                  .textArray(cases.map(\.row.orderId)), .textArray(cases.map { String($0.tickets) })])
    }

    /// The escalate stage's hand-offs on their cases, one statement. The caller has locked the cases (`lockCases`).
    /// Several tickets of one case update it once, as if one after the other, with one version per ticket.
    static func recordEscalations(_ rows: [(caseId: UUID, plan: EscalationPlan, language: String)],
                                  in db: PostgresConnection) throws {
        // Several tickets of one case: the last ticket's plan, the first ticket's language (a case keeps the language
        // it was first given).
        let cases = perCase(rows, caseId: \.caseId) { earlier, later in (later.caseId, later.plan, earlier.language) }
        try db.query("""
            UPDATE ombud.cases c SET team = u.team, priority = u.priority, sla_due_at = u.sla_due_at,
                   regulatory_due_at = u.regulatory_due_at, language = coalesce(c.language, u.language), stage = 'done',
                   status = CASE WHEN c.status IN ('claimed', 'closed') THEN c.status ELSE 'escalated' END,
                   version = c.version + u.tickets, updated_at = now()
            FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::int[])
                 AS u(id, team, priority, sla_due_at, regulatory_due_at, language, tickets)
            WHERE c.id = u.id
            """, [.textArray(cases.map { MessageIds.canonical($0.row.caseId) }), .textArray(cases.map(\.row.plan.team.rawValue)),
                  .textArray(cases.map { String($0.row.plan.priority.level) }),
                  .textArray(try cases.map { try timestampText($0.row.plan.firstResponseDue.date) }),
                  .textArray(try cases.map { try $0.row.plan.regulatoryDue.flatMap { try timestampText($0.date) } }),
                  .textArray(cases.map(\.row.language)), .textArray(cases.map { String($0.tickets) })])
    }
}

extension CaseStore {
    /// A batch's rows folded to one per case, in the order the cases first appear: `combine(earlier, later)` is what
    /// the case holds after both tickets, and `tickets` how many rows went into it. An `UPDATE … FROM unnest` with
    /// two rows for one case would apply either one.
    static func perCase<Row>(_ rows: [Row], caseId: (Row) -> UUID,
                             combine: (Row, Row) -> Row) -> [(row: Row, tickets: Int)] {
        var order: [UUID] = []
        var merged: [UUID: (row: Row, tickets: Int)] = [:]
        for row in rows {
            let id = caseId(row)
            if let earlier = merged[id] {
                merged[id] = (combine(earlier.row, row), earlier.tickets + 1)
            } else {
                order.append(id)
                merged[id] = (row, 1)
            }
        }
        return order.map { merged[$0]! }
    }
}

enum StoreError: Error, CustomStringConvertible {
    /// A row an earlier stage must have written is not there: the message is out of order or the database was
    /// changed under the pipeline. Worth a retry (the writer's transaction may not be visible yet), then parked.
    case missing(String)

    var description: String {
        switch self {
        case .missing(let what): "\(what) is not in the database"
        }
    }
}

/// numeric(5,4) columns: confidences rounded to four places, in decimal.
enum Decimal4 {
    static func rounded(_ value: Double) -> Decimal {
        Decimal(Int((value * 10_000).rounded())) / 10_000
    }
}

extension Priority {
    /// 1–3, as `cases.priority` stores it (P1 most urgent).
    var level: Int { Int(rawValue.dropFirst()) ?? 3 }
}
