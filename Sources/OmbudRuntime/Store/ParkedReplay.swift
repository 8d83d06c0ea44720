import AMQP
import Foundation
import Postgres

/// Sends parked messages back to their stage's queue after the cause is fixed.
public enum ParkedReplay {
    /// Headers that described the failed attempts; a replayed message starts afresh.
    static let resetHeaders: Set<String> = ["x-ombud-attempt", "x-ombud-last-error", "x-ombud-park-reason", "x-ombud-failure"]

    /// Re-publishes the parked messages of one stage queue (all not yet replayed, or only `ids`) straight
    /// to that queue, with the retry counter reset. One transaction: the rows are marked replayed and their
    /// parked receipts removed, and it commits only after the broker has confirmed every publish, so a
    /// failed replay changes nothing.
    public static func replay(stageQueue: String, ids: [Int64]? = nil, database: PostgresConnection,
                              publisher: AMQPPublisher) throws -> [ParkedStore.Row] {
        try database.transaction { db in
            let rows = try ParkedStore(database: db).claimForReplay(stage: stageQueue, ids: ids)
            for row in rows {
                var properties = AMQPProperties()
                properties.messageId = row.messageId
                properties.correlationId = row.caseId?.uuidString.lowercased()
                properties.contentType = "application/json"
                properties.persistent = true
                properties.headers = row.headers.filter { !resetHeaders.contains($0.key) }.mapValues { .string($0) }
                properties.headers["x-ombud-replayed-from"] = .int(row.id)
                // The default exchange routes by queue name; mandatory, so a missing queue fails the replay.
                try publisher.publish(exchange: "", routingKey: stageQueue, body: row.body, properties: properties, mandatory: true)
            }
            if !rows.isEmpty { try publisher.waitForConfirms(timeout: 30) }
            return rows
        }
    }
}
