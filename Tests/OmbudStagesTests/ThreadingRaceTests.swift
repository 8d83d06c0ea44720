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
}
