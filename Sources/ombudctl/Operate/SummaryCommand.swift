import ArgumentParser
import Foundation
import OmbudCore
import OmbudRuntime
import Postgres

/// `ombudctl summary FILE`: what the fleet made of a published ticket file.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Wait for the tickets of a JSONL file to be decided, then summarise: outcomes, teams, languages, latency, parked.",
        discussion: """
            The tickets are found by (channel, external_id), so the file must be the one given to `ombudctl publish`. \
            Latency is from the ticket's arrival at intake to the resolve stage's decision.

            Example:
              ombudctl publish deploy/local/sample-tickets.jsonl && ombudctl summary deploy/local/sample-tickets.jsonl
            """)

    @Argument(help: "The JSONL file that was published.")
    var file: String

    @Option(help: "Seconds to wait for the decisions.")
    var wait: Double = 120

    @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
    var databaseURL: String?

    func run() throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var ids: [String] = []
        var malformed = 0
        for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            switch TicketValidation.validate(Array(line.utf8)) {
            case .success(let ticket):
                ids.append(MessageIds.canonical(MessageIds.ticket(channel: ticket.channel, externalId: ticket.externalId)))
            case .failure:
                malformed += 1
            }
        }
        ids = Array(Set(ids))
        let db = try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-summary")
        defer { db.close() }
        let idArray = PostgresValue.textArray(ids)
        func finished() throws -> Int {
            try db.query("""
                SELECT count(*) FROM ombud.decisions d WHERE d.ticket_id = ANY($1::uuid[])
                  AND (d.outcome <> 'escalated' OR EXISTS (SELECT 1 FROM ombud.escalations e WHERE e.ticket_id = d.ticket_id))
                """, [idArray])[0].decode(Int.self, column: 0)
        }
        let deadline = Date().addingTimeInterval(wait)
        var done = try finished(), reported = -1
        while done < ids.count, Date() < deadline {
            if done != reported {
                FileHandle.standardError.write(Data("summary: \(done)/\(ids.count) tickets decided\n".utf8))
                reported = done
            }
            Thread.sleep(forTimeInterval: 0.5)
            done = try finished()
        }
        print("\(ids.count + malformed) lines: \(ids.count) valid tickets, \(malformed) malformed (parked by intake with their reasons: ombudctl parked list)")
        print("decided: \(done)/\(ids.count)" + (done < ids.count ? " — still in flight or parked; see ombudctl status" : ""))
        guard done > 0 else { return }

        let outcomes = try db.query("""
            SELECT outcome, team, count(*) FROM ombud.decisions WHERE ticket_id = ANY($1::uuid[]) GROUP BY 1, 2 ORDER BY 1, 2
            """, [idArray])
        var byOutcome: [String: Int] = [:]
        var byTeam: [String: Int] = [:]
        for row in outcomes {
            let outcome = try row.decode(String.self, column: 0), count = try row.decode(Int.self, column: 2)
            byOutcome[outcome, default: 0] += count
            if let team = try row.decode(String?.self, column: 1), outcome == "escalated" { byTeam[team, default: 0] += count }
        }
        func share(_ n: Int) -> String { String(format: "%.0f%%", 100 * Double(n) / Double(done)) }
        print("outcomes: " + ["auto_resolved", "needs_info", "escalated"].map { "\($0) \(byOutcome[$0] ?? 0) (\(share(byOutcome[$0] ?? 0)))" }
            .joined(separator: ", "))
        print("escalated by team: " + (byTeam.isEmpty ? "none" : byTeam.sorted { $0.value > $1.value }
            .map { "\($0.key) \($0.value) (\(share($0.value)))" }.joined(separator: ", ")))
        let latency = try db.query("""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.decided_at - m.arrived_at)) * 1000,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d.decided_at - m.arrived_at)) * 1000
            FROM ombud.decisions d JOIN ombud.case_messages m ON m.ticket_id = d.ticket_id WHERE d.ticket_id = ANY($1::uuid[])
            """, [idArray])[0]
        print(String(format: "ticket-to-decision latency (arrival at intake → decision): p50 %.0f ms, p99 %.0f ms",
                     try latency.decode(Double.self, column: 0), try latency.decode(Double.self, column: 1)))
        let languages = try db.query("""
            SELECT coalesce(language, 'und'), count(*) FROM ombud.case_messages WHERE ticket_id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 2 DESC
            """, [idArray])
        print("languages: " + (try languages.map { "\(try $0.decode(String.self, column: 0)) \(try $0.decode(Int.self, column: 1))" })
            .joined(separator: ", "))
        let actions = try db.query("""
            SELECT kind, count(*) FROM ombud.actions WHERE ticket_id = ANY($1::uuid[]) AND status IN ('executed', 'recorded')
            GROUP BY 1 ORDER BY 2 DESC
            """, [idArray])
        print("actions: " + (actions.isEmpty ? "none" : try actions.map { "\(try $0.decode(String.self, column: 0)) \(try $0.decode(Int.self, column: 1))" }
            .joined(separator: ", ")))
        if let escalated = try db.query("""
            SELECT d.case_id::text FROM ombud.decisions d WHERE d.ticket_id = ANY($1::uuid[]) AND d.outcome = 'escalated'
            ORDER BY d.priority, d.decided_at LIMIT 1
            """, [idArray]).first, let resolved = try db.query("""
            SELECT d.case_id::text FROM ombud.decisions d WHERE d.ticket_id = ANY($1::uuid[]) AND d.outcome = 'auto_resolved'
            ORDER BY d.decided_at LIMIT 1
            """, [idArray]).first {
            print("")
            print("next:")
            print("  ombudctl agent queue                       the escalations, most urgent first")
            print("  ombudctl case show \(try escalated.decode(String.self, column: 0))   an escalated case with its hand-off")
            print("  ombudctl case show \(try resolved.decode(String.self, column: 0))   an auto-resolved case: actions and reply")
            print("  ombudctl parked list                       the malformed tickets and why")
            print("  ombudctl status                            queues, throughput, latency")
        }
    }
}
