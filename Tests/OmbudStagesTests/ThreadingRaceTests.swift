import Foundation
import Logging
import OmbudCore
@testable import OmbudRuntime
import OmbudStages
import OmbudTestSupport
import OmbudText
import Postgres
import Testing

/// Two intake lanes, each with a ticket of the same new conversation, at the same moment: one case, both tickets on it.
@Suite(.serialized) struct ThreadingRaceTests {
    @Test func twoLanesOpeningTheCaseOfOneThreadOpenOne() throws {
        try FleetEnvironment.migrated.get()
        let prefix = "race-" + UUID().uuidString.prefix(8).lowercased()
        // Two lanes' connections, logged in as the intake stage's role.
        let lanes = try (0..<2).map { try PostgresConnection(FleetEnvironment.stageDatabaseURL(.intake), applicationName: "\(prefix)-\($0)") }
        let admin = try PostgresConnection(FleetEnvironment.databaseURL, applicationName: prefix)
        defer { lanes.forEach { $0.close() }; admin.close() }
        let stage = IntakeStage(languages: try LanguageIdentifier.shared())
        let names = TopologyNames(prefix: prefix)

        func ticket(_ externalId: String, thread: String, at: String) -> StageMessage {
            let object: [String: Any] = [
                "schema": "ombud.ticket.v1", "channel": "chat", "external_id": externalId, "thread_id": thread,
                "customer": ["id": "\(prefix)-customer"], "body": "I was charged twice for my order, 49.90 each time.",
                "received_at": at,
            ]
            let body = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return StageMessage(messageId: "ticket:chat:\(externalId)", routingKey: "ticket.chat", body: Array(body))
        }

        let rounds = 25
        var failures: [String] = []
        for round in 0..<rounds {
            let thread = "\(prefix)-thread-\(round)"
            let messages = [ticket("\(prefix)-\(round)-a", thread: thread, at: "2026-11-03T08:00:00Z"),
                            ticket("\(prefix)-\(round)-b", thread: thread, at: "2026-11-03T08:00:01Z")]
            let errors = runTogether((0..<2).map { lane in
                { @Sendable in
                    let context = StageContext(database: lanes[lane], logger: Logger(label: prefix), lane: lane, names: names)
                    _ = try lanes[lane].transaction { _ in try stage.handle(batch: [messages[lane]], in: context) }
                }
            })
            for case let error? in errors { failures.append("round \(round): \(error)") }
            let cases = try admin.query("""
                SELECT c.id, c.contacts, (SELECT count(*) FROM ombud.case_messages m WHERE m.case_id = c.id)
                FROM ombud.cases c WHERE c.channel = 'chat' AND c.thread_id = $1 AND c.status <> 'closed'
                """, [.text(thread)])
            let attached = try admin.query("SELECT count(DISTINCT case_id), count(*) FROM ombud.case_messages WHERE thread_id = $1",
                                           [.text(thread)])[0]
            let contacts = try cases.first?.decode(Int.self, column: 1), onCase = try cases.first?.decode(Int.self, column: 2)
            let ticketCases = try attached.decode(Int.self, column: 0), tickets = try attached.decode(Int.self, column: 1)
            if cases.count != 1 || contacts != 2 || onCase != 2 || ticketCases != 1 || tickets != 2 {
                failures.append("round \(round): \(cases.count) open cases, \(tickets) tickets on \(ticketCases) cases, contacts \(String(describing: contacts))")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) problems in \(rounds) rounds:\n\(failures.prefix(5).joined(separator: "\n"))")
        // The database refuses a second open case for a thread, whatever code tries it.
        #expect(throws: PostgresError.self) {
            try admin.query("""
                INSERT INTO ombud.cases (id, channel, customer_ref, thread_id) VALUES (gen_random_uuid(), 'chat', 'x', $1)
                """, [.text("\(prefix)-thread-0")])
        }
    }

    /// Upgrading a database where the race already doubled rows: migration 0009's own statements (run again here on
    /// doubled rows, in a transaction rolled back at the end) resolve them before creating the unique indexes.
    @Test func migration0009ResolvesDoubledRowsBeforeItsIndexes() throws {
        try FleetEnvironment.migrated.get()
        let text = try String(contentsOf: FleetEnvironment.repositoryRoot.appendingPathComponent("migrations/0009_one_open_case_per_thread.sql"),
                              encoding: .utf8)
        let marker = try #require(text.range(of: "-- One open case per conversation"), "the migration's section on cases moved")
        let prefix = "mig-" + UUID().uuidString.prefix(8).lowercased()
        let db = try PostgresConnection(FleetEnvironment.databaseURL, applicationName: prefix)
        defer { db.close() }
        try db.query("BEGIN")
        defer { _ = try? db.query("ROLLBACK") }
        try db.execute(script: """
            DROP INDEX ombud.cases_one_open_per_thread;
            CREATE INDEX cases_open_thread ON ombud.cases (channel, thread_id) WHERE thread_id IS NOT NULL AND status <> 'closed';
            DROP INDEX ledger.merchant_disputes_one_open;
            """)
        let a = UUID(), b = UUID(), closed = UUID()
        try db.query("""
            INSERT INTO ombud.cases (id, channel, customer_ref, thread_id, last_contact_at, status) VALUES
                ($1, 'chat', 'x', $4, '2026-11-01', 'open'), ($2, 'chat', 'x', $4, '2026-11-02', 'escalated'),
                ($3, 'chat', 'x', $4, '2026-11-03', 'closed')
            """, [.uuid(a), .uuid(b), .uuid(closed), .text(prefix)])
        let order = try #require(try db.query("SELECT id FROM ledger.orders LIMIT 1").first?.decode(String.self, column: 0),
                                 "the ledger has no order to dispute")
        try db.query("UPDATE ledger.merchant_disputes SET closed_at = opened_at WHERE order_id = $1 AND closed_at IS NULL", [.text(order)])
        let disputeIds = try db.query("""
            INSERT INTO ledger.merchant_disputes (order_id, opened_at) VALUES ($1, '2026-11-01'), ($1, '2026-11-05') RETURNING id
            """, [.text(order)]).map { try $0.decode(Int64.self, column: 0) }

        try db.execute(script: String(text[marker.lowerBound...]))

        let cases = try db.query("SELECT id, thread_id FROM ombud.cases WHERE id = ANY($1::uuid[])",
                                 [.textArray([a, b, closed].map(MessageIds.canonical))])
        let threads = Dictionary(uniqueKeysWithValues: try cases.map { (try $0.decode(UUID.self, column: 0), try $0.decode(String?.self, column: 1)) })
        #expect(threads[b] == prefix, "the latest contacted open case keeps the thread")
        #expect(threads[a] == .some(nil), "the other open case lets go of it")
        #expect(threads[closed] == prefix, "closed cases are not touched")
        #expect(try db.query("SELECT count(*) FROM ombud.case_events WHERE case_id = $1 AND kind = 'unthreaded' AND detail->>'threaded_case' = $2",
                             [.uuid(a), .text(MessageIds.canonical(b))])[0].decode(Int.self, column: 0) == 1)
        let disputes = try db.query("SELECT opened_at, closed_at FROM ledger.merchant_disputes WHERE id::text = ANY($1::text[]) ORDER BY opened_at",
                                    [.textArray(disputeIds.map(String.init))])
        #expect(disputes.count == 2)
        #expect(try disputes.first?.decode(Date?.self, column: 1) == .some(nil), "the earliest open dispute stays open")
        #expect(try disputes.last?.decode(Date?.self, column: 1) == disputes.last?.decode(Date.self, column: 0), "a later one is closed at its opening")
    }
}
