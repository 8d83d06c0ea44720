import Foundation
import OmbudCore
import OmbudLedger
import OmbudOperations
import Postgres
import Testing

/// The fleet's promises about bad input, privacy and duplicates, on the real processes.
@Suite(.serialized) struct FleetBehaviourTests {
    /// A customer with one order, loaded under the fixture's prefix.
    static func customer(_ fixture: FleetFixture) throws -> String {
        let facts = LedgerFacts(
            customer: Customer(id: "c1", name: "Test Person", email: "\(fixture.names.prefix)@example.com", locale: "en-GB"),
            orders: [Order(id: "o1", merchant: "Nordic Shoes", total: "89.90", currency: "EUR",
                           createdAt: Timestamp(parsing: "2026-11-01T10:00:00Z")!,
                           captures: [Capture(id: "k1", amount: "89.90", at: Timestamp(parsing: "2026-11-01T10:00:05Z")!),
                                      Capture(id: "k2", amount: "89.90", at: Timestamp(parsing: "2026-11-01T10:02:11Z")!)])])
        return try ScenarioLedgerLoader.load(facts, namespace: fixture.names.prefix + "-", database: fixture.database).customer.id
    }

    @Test func malformedTicketsAreParkedWithTheirReasonAndTheRestFlows() throws {
        let fixture = try FleetFixture()
        let customer = try Self.customer(fixture)
        let good = fixture.ticket("good", customer: customer, body: "I was charged twice for my Nordic Shoes order, 89.90 each time.")
        let bad = [
            "this is not json",
            #"{"schema":"ombud.ticket.v1","channel":"chat","external_id":"x1","customer":{"id":"c"},"received_at":"2026-11-03T08:00:00Z"}"#,
            #"{"schema":"ombud.ticket.v1","channel":"chat","external_id":"x2","customer":{},"body":"hi","received_at":"2026-11-03T08:00:00Z"}"#,
            #"{"schema":"ombud.ticket.v1","channel":"chat","external_id":"x3","customer":{"id":"c"},"body":"hi","received_at":"yesterday"}"#,
        ]
        try fixture.publish(bad + [good], messageIds: (0..<5).map { "\(fixture.names.prefix)-m\($0)" })
        let parkedStage = fixture.names.queue(stage: "intake")
        let arrived = try fixture.waitUntil(timeout: 60) {
            try fixture.count("SELECT count(*) FROM ombud.parked_messages WHERE stage = $1", [.text(parkedStage)]) == 4
                && (try fixture.count("SELECT count(*) FROM ombud.replies WHERE ticket_id = $1", [.uuid(fixture.ticketId("good"))]) == 1)
        }
        #expect(arrived, "intake log:\n\(fixture.logTail(.intake))")
        let reasons = try fixture.database.query(
            "SELECT message_id, reason, failure, body FROM ombud.parked_messages WHERE stage = $1 ORDER BY message_id",
            [.text(parkedStage)])
        #expect(reasons.count == 4)
        for row in reasons {
            #expect(try row.decode(String.self, column: 1).hasPrefix("invalid ticket: "))
            #expect(try row.decode(String.self, column: 2) == "permanent")
            #expect(!(try row.decode([UInt8].self, column: 3)).isEmpty, "the parked body is kept for replay")
        }
        let joined = try reasons.map { try $0.decode(String.self, column: 1) }.joined(separator: "\n")
        #expect(joined.contains("body"), "missing body named: \(joined)")
        #expect(joined.contains("received_at"), "bad date named: \(joined)")
        // The parked copies are on the parked queue too, nothing is left on the intake queue.
        #expect(try fixture.waitUntil(timeout: 10) { try fixture.admin.queueCounts(fixture.names.queue(stage: "intake")).messageCount == 0 })
        #expect(try fixture.admin.queueCounts(fixture.names.parkedQueue(stage: "intake")).messageCount == 4)
    }

    @Test func cardNumbersAreRedactedBeforeAnythingIsStored() throws {
        let fixture = try FleetFixture()
        let customer = try Self.customer(fixture)
        let body = "I was charged twice for my Nordic Shoes order, 89.90 each time, on card 4111 1111 1111 1111 cvv 123."
        try fixture.publish([fixture.ticket("pan", customer: customer, body: body)])
        let ticketId = fixture.ticketId("pan")
        #expect(try fixture.waitUntil(timeout: 60) {
            try fixture.count("SELECT count(*) FROM ombud.replies WHERE ticket_id = $1", [.uuid(ticketId)]) == 1
        }, "resolve log:\n\(fixture.logTail(.resolve))")
        let stored = try fixture.database.query("SELECT body, redactions::text FROM ombud.case_messages WHERE ticket_id = $1",
                                                [.uuid(ticketId)])[0]
        let text = try stored.decode(String.self, column: 0)
        #expect(text.contains("[card ****1111]"))
        #expect(!text.contains("4111 1111"))
        #expect(!text.contains("123."))
        #expect(try stored.decode(String.self, column: 1).contains("card"))
        // Nowhere else either: the classification's entities, the timeline, the reply.
        let leaks = try fixture.count("""
            SELECT count(*) FROM ombud.agent_case_timeline WHERE case_id = (SELECT case_id FROM ombud.case_messages WHERE ticket_id = $1)
              AND detail::text LIKE '%4111 1111%'
            """, [.uuid(ticketId)])
        #expect(leaks == 0)
    }

    /// `ombudctl erase`: after the fleet has handled a customer's ticket (and parked a malformed one naming them), no
    /// table of Ombud still holds their words or their id, while the case keeps its anonymised shape and another
    /// customer's case is untouched.
    @Test func erasingACustomerLeavesNothingOfThemButTheStatistics() throws {
        let fixture = try FleetFixture()
        let customer = try Self.customer(fixture)
        let marker = "Zebrafinch-\(fixture.names.prefix)"
        let otherMarker = "Okapi-\(fixture.names.prefix)"
        let good = fixture.ticket("erase-1", customer: customer,
                                  body: "I was charged twice for my Nordic Shoes order, 89.90 each time. Write to \(marker) please.")
        let other = fixture.ticket("erase-2", customer: "\(fixture.names.prefix)-someone-else", body: "Where is my parcel? \(otherMarker)")
        let parked = #"{"schema":"ombud.ticket.v1","channel":"chat","external_id":"\#(fixture.names.prefix)-erase-3","customer":{"id":"\#(customer)"},"received_at":"2026-11-03T08:00:00Z"}"#
        try fixture.publish([good, other, parked])
        let decided = try fixture.waitUntil(timeout: 60) {
            try fixture.count("SELECT count(*) FROM ombud.replies WHERE ticket_id = ANY($1::uuid[])",
                              [.textArray([fixture.ticketId("erase-1"), fixture.ticketId("erase-2")].map { $0.uuidString })]) == 2
                && (try fixture.count("SELECT count(*) FROM ombud.parked_messages WHERE stage = $1", [.text(fixture.names.queue(stage: "intake"))]) == 1)
        }
        #expect(decided, "resolve log:\n\(fixture.logTail(.resolve))")

        // Everywhere Ombud keeps text about a case or a message, as text.
        func traces(of needle: String) throws -> Int {
            try fixture.count("""
                SELECT (SELECT count(*) FROM ombud.cases t WHERE row_to_json(t)::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ombud.case_messages t WHERE row_to_json(t)::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ombud.classifications t WHERE row_to_json(t)::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ombud.matches t WHERE row_to_json(t)::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ombud.decisions t WHERE row_to_json(t)::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ombud.replies t WHERE row_to_json(t)::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ombud.escalations t WHERE row_to_json(t)::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ombud.case_events t WHERE row_to_json(t)::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ombud.parked_messages t
                        WHERE convert_from(t.body, 'UTF8') LIKE '%' || $1 || '%' OR t.headers::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ombud.stage_receipts t
                        WHERE t.stage LIKE $2 || '%' AND t.outputs::text LIKE '%' || $1 || '%')
                """, [.text(needle), .text(fixture.names.prefix)])
        }
        #expect(try traces(of: marker) > 0)
        #expect(try traces(of: customer) > 0)

        let erasure = CustomerErasure(database: fixture.database)
        let counted = try erasure.erase(customer: customer, requestedBy: "dpo-test", dryRun: true)
        #expect(counted == CustomerErasure.Result(cases: 1, tickets: 1, parked: 1, inFlight: 0))
        #expect(try traces(of: marker) > 0, "a dry run changes nothing")

        #expect(try erasure.erase(customer: customer, requestedBy: "dpo-test") == counted)
        #expect(try traces(of: marker) == 0)
        #expect(try traces(of: customer) == 0)
        // The statistics stay: the case's intent, outcome and times, its decision row, and an erased event.
        let caseRow = try fixture.database.query("""
            SELECT c.intent, c.outcome, c.decided_at IS NOT NULL, c.erased_at IS NOT NULL, d.rule, d.outcome
            FROM ombud.cases c JOIN ombud.decisions d ON d.case_id = c.id WHERE d.ticket_id = $1
            """, [.uuid(fixture.ticketId("erase-1"))])[0]
        #expect(try caseRow.decode(String?.self, column: 0) != nil)
        #expect(try caseRow.decode(String?.self, column: 1) == caseRow.decode(String.self, column: 5))
        #expect(try caseRow.decode(Bool.self, column: 2) && caseRow.decode(Bool.self, column: 3))
        #expect(try fixture.count("""
            SELECT count(*) FROM ombud.case_events e JOIN ombud.case_messages m ON m.case_id = e.case_id
            WHERE m.ticket_id = $1 AND e.kind = 'erased' AND e.detail->>'requested_by' = 'dpo-test'
            """, [.uuid(fixture.ticketId("erase-1"))]) == 1)
        // Recorded by digest only.
        #expect(try fixture.count("SELECT count(*) FROM ombud.erasures WHERE subject_hash = encode(sha256(convert_to(lower($1), 'UTF8')), 'hex') AND cases = 1",
                                  [.text(customer)]) == 1)
        // The other customer is untouched.
        #expect(try traces(of: otherMarker) > 0)
    }

    @Test func aTicketPublishedTwiceIsOneCaseAndOneReply() throws {
        let fixture = try FleetFixture()
        let customer = try Self.customer(fixture)
        let ticket = fixture.ticket("twice", customer: customer, body: "I was charged twice for my Nordic Shoes order, 89.90 each time.")
        // The channel retried with a new message id: only (channel, external_id) says it is the same ticket.
        try fixture.publish([ticket, ticket], messageIds: ["\(fixture.names.prefix)-a", "\(fixture.names.prefix)-b"])
        let ticketId = fixture.ticketId("twice")
        #expect(try fixture.waitUntil(timeout: 60) {
            try fixture.count("SELECT count(*) FROM ombud.replies WHERE ticket_id = $1", [.uuid(ticketId)]) == 1
        })
        Thread.sleep(forTimeInterval: 1)
        #expect(try fixture.count("SELECT count(*) FROM ombud.stage_receipts WHERE stage = $1 AND message_id LIKE $2",
                                  [.text(fixture.names.queue(stage: "intake")), .text(fixture.names.prefix + "-%")]) == 2)
        #expect(try fixture.count("SELECT count(*) FROM ombud.case_messages WHERE ticket_id = $1", [.uuid(ticketId)]) == 1)
        #expect(try fixture.count("SELECT count(*) FROM ombud.decisions WHERE ticket_id = $1", [.uuid(ticketId)]) == 1)
        #expect(try fixture.count("SELECT count(*) FROM ombud.replies WHERE ticket_id = $1", [.uuid(ticketId)]) == 1)
        // `ombudctl status` sees the ticket pass every stage, in order (each step's latency is not negative).
        let latency = try StageLatency.load(database: fixture.database, seconds: 300)
        #expect(latency.steps.map(\.stage) == ["classify", "lookup", "resolve", "escalate"])
        #expect(latency.steps.prefix(3).allSatisfy { $0.tickets >= 1 && ($0.p50Milliseconds ?? -1) >= 0 })
        // The duplicate capture was refunded once.
        #expect(try fixture.count("SELECT count(*) FROM ledger.refunds WHERE capture_id = $1", [.text(fixture.names.prefix + "-k2")]) == 1)
    }

    @Test func aFollowUpOnTheSameThreadJoinsTheCase() throws {
        let fixture = try FleetFixture()
        let customer = try Self.customer(fixture)
        try fixture.publish([fixture.ticket("first", customer: customer, body: "I was charged twice for my Nordic Shoes order, 89.90 each time.",
                                            threadId: "th")])
        #expect(try fixture.waitUntil(timeout: 60) {
            try fixture.count("SELECT count(*) FROM ombud.replies WHERE ticket_id = $1", [.uuid(fixture.ticketId("first"))]) == 1
        })
        try fixture.publish([fixture.ticket("second", customer: customer, body: "Any news on the double charge?",
                                            at: "2026-11-04T08:00:00Z", threadId: "th")],
                            messageIds: ["\(fixture.names.prefix)-second"])
        #expect(try fixture.waitUntil(timeout: 60) {
            try fixture.count("SELECT count(*) FROM ombud.replies WHERE ticket_id = $1", [.uuid(fixture.ticketId("second"))]) == 1
        })
        let cases = try fixture.database.query("SELECT DISTINCT case_id FROM ombud.case_messages WHERE ticket_id = ANY($1::uuid[])",
                                               [.textArray([fixture.ticketId("first"), fixture.ticketId("second")].map(MessageIds.canonical))])
        #expect(cases.count == 1)
        #expect(try fixture.count("SELECT contacts FROM ombud.cases WHERE id = $1", [.uuid(fixture.ticketId("first"))]) == 2)
    }

    /// Two tickets of one thread published together usually land in one intake batch: threaded in memory, one case.
    @Test func ticketsOfOneThreadInOneBatchShareTheCase() throws {
        let fixture = try FleetFixture(start: false)
        let customer = try Self.customer(fixture)
        try fixture.publish([
            fixture.ticket("a", customer: customer, body: "I was charged twice for my Nordic Shoes order, 89.90 each time.", threadId: "t"),
            fixture.ticket("b", customer: customer, body: "Also, the second charge is still there today.", at: "2026-11-03T09:00:00Z",
                           threadId: "t"),
        ])
        try fixture.fleet.startAll()   // both are queued before intake starts: one batch
        #expect(try fixture.waitUntil(timeout: 60) {
            try fixture.count("SELECT count(*) FROM ombud.decisions WHERE ticket_id = ANY($1::uuid[])",
                              [.textArray([fixture.ticketId("a"), fixture.ticketId("b")].map(MessageIds.canonical))]) == 2
        })
        let cases = try fixture.database.query("SELECT DISTINCT case_id FROM ombud.case_messages WHERE ticket_id = ANY($1::uuid[])",
                                               [.textArray([fixture.ticketId("a"), fixture.ticketId("b")].map(MessageIds.canonical))])
        #expect(cases.count == 1)
        #expect(try fixture.count("SELECT contacts FROM ombud.cases WHERE id = $1", [.uuid(fixture.ticketId("a"))]) == 2)
    }

    /// Two tickets of one case in one batch at every stage: each gets its own decision, escalation and reply, and the
    /// case row ends as the later ticket leaves it (resolve and escalate update a case once per batch).
    @Test func aCaseWithTwoTicketsInOneBatchEndsAsTheLaterLeavesIt() throws {
        let fixture = try FleetFixture(start: false)
        let customer = try Self.customer(fixture)
        try fixture.publish([
            fixture.ticket("a", customer: customer, body: "Please let me speak to a real person about my Nordic Shoes order.",
                           threadId: "t2"),
            fixture.ticket("b", customer: customer, body: "I have contacted my lawyer and I will take you to court over this.",
                           at: "2026-11-03T09:00:00Z", threadId: "t2"),
        ])
        try fixture.fleet.startAll()   // queued before the fleet starts: one batch at each stage
        let ids = [fixture.ticketId("a"), fixture.ticketId("b")]
        let idArray = PostgresValue.textArray(ids.map(MessageIds.canonical))
        #expect(try fixture.waitUntil(timeout: 60) {
            try fixture.count("SELECT count(*) FROM ombud.escalations WHERE ticket_id = ANY($1::uuid[])", [idArray]) == 2
        })
        #expect(try fixture.count("SELECT count(DISTINCT case_id) FROM ombud.case_messages WHERE ticket_id = ANY($1::uuid[])",
                                  [idArray]) == 1)
        #expect(try fixture.count("SELECT count(*) FROM ombud.replies WHERE ticket_id = ANY($1::uuid[])", [idArray]) == 2)
        func text(_ sql: String, _ id: UUID) throws -> String {
            try fixture.database.query(sql, [.uuid(id)])[0].decode(String.self, column: 0)
        }
        let ruleA = try text("SELECT rule FROM ombud.decisions WHERE ticket_id = $1", ids[0])
        let ruleB = try text("SELECT rule FROM ombud.decisions WHERE ticket_id = $1", ids[1])
        #expect(ruleA != ruleB)   // otherwise the test could not tell which ticket the case shows
        let caseId = try text("SELECT case_id::text FROM ombud.case_messages WHERE ticket_id = $1", ids[0])
        let row = try fixture.database.query("SELECT rule, team, priority::text FROM ombud.cases WHERE id = $1::uuid", [.text(caseId)])[0]
        #expect(try row.decode(String.self, column: 0) == ruleB)
        let escalationB = try fixture.database.query("SELECT team, priority::text FROM ombud.escalations WHERE ticket_id = $1",
                                                     [.uuid(ids[1])])[0]
        #expect(try row.decode(String.self, column: 1) == escalationB.decode(String.self, column: 0))
        #expect(try row.decode(String.self, column: 2) == escalationB.decode(String.self, column: 1))
    }
}
