import Foundation
import Postgres

/// How long each stage took with the tickets that arrived recently: from the previous stage's record to its own
/// (intake's arrival → classification → match → decision → escalation), as p50 and p99 in milliseconds.
public struct StageLatency: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var stage: String
        public var tickets: Int
        public var p50Milliseconds: Double?
        public var p99Milliseconds: Double?
    }

    public var steps: [Step]

    public static func load(database: PostgresConnection, seconds: Int = 300) throws -> StageLatency {
        let row = try database.query("""
            WITH recent AS (
                SELECT m.arrived_at, c.classified_at, x.matched_at, d.decided_at, e.escalated_at
                FROM ombud.case_messages m
                LEFT JOIN ombud.classifications c ON c.ticket_id = m.ticket_id
                LEFT JOIN ombud.matches x ON x.ticket_id = m.ticket_id
                LEFT JOIN ombud.decisions d ON d.ticket_id = m.ticket_id
                LEFT JOIN ombud.escalations e ON e.ticket_id = m.ticket_id
                WHERE m.arrived_at > now() - make_interval(secs => $1::int)
            )
            SELECT count(classified_at),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM classified_at - arrived_at)) * 1000,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM classified_at - arrived_at)) * 1000,
                   count(matched_at),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM matched_at - classified_at)) * 1000,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM matched_at - classified_at)) * 1000,
                   count(decided_at),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - matched_at)) * 1000,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - matched_at)) * 1000,
                   count(escalated_at),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM escalated_at - decided_at)) * 1000,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM escalated_at - decided_at)) * 1000
            FROM recent
            """, [.int(Int64(seconds))])[0]
        let stages = ["classify", "lookup", "resolve", "escalate"]
        return StageLatency(steps: try stages.enumerated().map { index, stage in
            Step(stage: stage, tickets: try row.decode(Int.self, column: index * 3),
                 p50Milliseconds: try row.decode(Double?.self, column: index * 3 + 1),
                 p99Milliseconds: try row.decode(Double?.self, column: index * 3 + 2))
        })
    }

    /// "stage latency (previous stage's record → this one's), p50 / p99: classify 40 / 95 ms (812), …"
    public var summary: String {
        let parts = steps.map { step -> String in
            guard let p50 = step.p50Milliseconds, let p99 = step.p99Milliseconds else { return "\(step.stage) —" }
            return String(format: "%@ %.0f / %.0f ms (%d)", step.stage, p50, p99, step.tickets)
        }
        return "stage latency, last 5 minutes (previous stage's record → this stage's), p50 / p99: " + parts.joined(separator: ", ")
    }
}
