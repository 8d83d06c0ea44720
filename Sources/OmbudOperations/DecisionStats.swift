import Foundation
import Postgres

/// Tickets decided in a recent window: how many, ticket-to-decision latency (intake's `arrived_at` to resolve's
/// `decided_at`), and the outcomes, escalations by team. Computed in SQL.
public struct DecisionStats: Sendable, Equatable {
    public var window: Int
    public var decided: Int
    public var p50Milliseconds: Double?
    public var p99Milliseconds: Double?
    /// outcome → count, e.g. `auto_resolved`, `needs_info`, `escalated`.
    public var outcomes: [String: Int]
    /// team → escalations.
    public var escalatedByTeam: [String: Int]

    /// The last `seconds` seconds.
    public static func load(database: PostgresConnection, seconds: Int = 300) throws -> DecisionStats {
        let latency = try database.query("""
            SELECT count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)
            FROM (SELECT (extract(epoch FROM d.decided_at - m.arrived_at) * 1000)::float8 AS ms
                  FROM ombud.decisions d JOIN ombud.case_messages m ON m.ticket_id = d.ticket_id
                  WHERE d.decided_at > now() - make_interval(secs => $1)) w
            """, [.int(Int64(seconds))])[0]
        let rows = try database.query("""
            SELECT outcome, coalesce(team, ''), count(*) FROM ombud.decisions
            WHERE decided_at > now() - make_interval(secs => $1)
            GROUP BY 1, 2
            """, [.int(Int64(seconds))])
        var outcomes: [String: Int] = [:]
        var teams: [String: Int] = [:]
        for row in rows {
            let outcome = try row.decode(String.self, column: 0), team = try row.decode(String.self, column: 1)
            let count = try row.decode(Int.self, column: 2)
            outcomes[outcome, default: 0] += count
            if outcome == "escalated" { teams[team.isEmpty ? "unrouted" : team, default: 0] += count }
        }
        return DecisionStats(window: seconds, decided: try latency.decode(Int.self, column: 0),
                             p50Milliseconds: try latency.decode(Double?.self, column: 1),
                             p99Milliseconds: try latency.decode(Double?.self, column: 2),
                             outcomes: outcomes, escalatedByTeam: teams)
    }

    /// Two lines: `tickets in the last 5 minutes: N decided; ticket-to-decision p50 X ms, p99 Y ms` and the outcomes.
    public var summary: String {
        let minutes = window % 60 == 0 ? "\(window / 60) minutes" : "\(window) seconds"
        var text = "tickets in the last \(minutes): \(decided) decided"
        if let p50 = p50Milliseconds, let p99 = p99Milliseconds {
            text += "; ticket-to-decision p50 \(Self.ms(p50)) ms, p99 \(Self.ms(p99)) ms"
        }
        var parts = ["auto_resolved", "needs_info", "escalated"].map { "\($0) \(outcomes[$0] ?? 0)" }
        parts += outcomes.keys.sorted().filter { !["auto_resolved", "needs_info", "escalated"].contains($0) }
            .map { "\($0) \(outcomes[$0]!)" }
        var escalated = ""
        if !escalatedByTeam.isEmpty {
            escalated = " (" + escalatedByTeam.keys.sorted().map { "\($0) \(escalatedByTeam[$0]!)" }.joined(separator: ", ") + ")"
        }
        return text + "\noutcomes: " + parts.joined(separator: ", ") + escalated
    }

    static func ms(_ value: Double) -> String { value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value) }
}
