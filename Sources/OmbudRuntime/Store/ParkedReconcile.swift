import AMQP
import Foundation
import Postgres

/// Empties a stage's parked queue into `ombud.parked_messages`, so the table is the one record of what was parked.
///
/// The parked queue holds two kinds of message. Copies the runtime published when it parked a message: their row
/// exists (the lane commits before it publishes), so the copy is only acknowledged. And messages the broker
/// dead-lettered on its own (the quorum queue's delivery limit, when the runtime could not reach the database):
/// those have no row, so one is written, with the broker's reason, and they become listable and replayable.
/// Each batch of deliveries is acknowledged only after its rows commit: a crash halfway loses nothing, and running
/// it again writes nothing twice (`ON CONFLICT DO NOTHING`).
public enum ParkedReconcile {
    public struct Outcome: Sendable, Equatable {
        /// Copies of messages that already had a row (acknowledged, nothing written).
        public var alreadyRecorded = 0
        /// Messages that had no row and got one now.
        public var recordedNow = 0
    }

    /// Drains `parkedQueue` (the parked queue of the stage whose queue is `stageQueue`); returns when it stays empty
    /// for `idle` seconds. The consumer is exclusive, so two reconciles of one queue cannot interleave.
    public static func drain(stageQueue: String, parkedQueue: String, url: AMQPURL, database: PostgresConnection,
                             batchSize: Int = 256, idle: Double = 0.5) throws -> Outcome {
        let consumer = try AMQPConsumer(url: url, options: AMQPConnectionOptions(name: "ombud-parked-reconcile"),
                                        queue: parkedQueue, prefetch: UInt16(clamping: batchSize), exclusive: true)
        defer { consumer.close() }
        var outcome = Outcome()
        while true {
            var batch: [AMQPDelivery] = []
            while batch.count < batchSize, let delivery = try consumer.next(timeout: batch.isEmpty ? idle : 0.05) {
                batch.append(delivery)
            }
            guard let last = batch.last else { return outcome }
            let written = try database.transaction { db in
                try ParkedStore(database: db).recordIfMissing(stage: stageQueue, batch.map(parkedRecord(for:)))
            }
            try consumer.ack(last.deliveryTag, multiple: true)
            outcome.recordedNow += written
            outcome.alreadyRecorded += batch.count - written
        }
    }

    /// What a parked-queue message says about itself, decided without I/O.
    struct Record {
        var message: StageMessage
        var failure: String
        var reason: String
    }

    static let failures: Set<String> = ["permanent", "retries_exhausted", "poison"]

    static func parkedRecord(for delivery: AMQPDelivery) -> Record {
        var message = MessageIdentity.stageMessage(from: delivery)
        // The runtime's own copies say why; anything else was dead-lettered by the broker.
        if let reason = message.headers["x-ombud-park-reason"] {
            let failure = message.headers["x-ombud-failure"].flatMap { failures.contains($0) ? $0 : nil } ?? "permanent"
            return Record(message: message, failure: failure, reason: reason)
        }
        let death = firstDeath(of: delivery)
        if let queue = death.queue, let key = death.routingKey {
            message.routingKey = key   // the key it had on its way into the stage queue, not the dead-letter key
            message.headers["x-ombud-dead-lettered-from"] = queue
        }
        let deliveries = MessageIdentity.deliveryCount(of: delivery)
        var reason = "parked by the broker (\(death.reason ?? "dead-lettered")"
        if deliveries > 0 { reason += " after \(deliveries) deliveries" }
        reason += ") without a record; recorded by ombudctl parked reconcile"
        return Record(message: message, failure: "poison", reason: reason)
    }

    /// The latest death (the broker's reason, the queue and the routing key it died from): `x-death` lists the most
    /// recent first (a message that went through the retry tiers also has their `expired` entries). The
    /// `x-first-death-*` headers when that is all there is.
    static func firstDeath(of delivery: AMQPDelivery) -> (reason: String?, queue: String?, routingKey: String?) {
        let headers = delivery.properties.headers
        func string(_ value: AMQPValue?) -> String? { if case .string(let s)? = value { return s } else { return nil } }
        if case .array(let deaths)? = headers["x-death"], case .table(let latest)? = deaths.first {
            var key: String?
            if case .array(let keys)? = latest["routing-keys"] { key = keys.lazy.compactMap { string($0) }.first }
            return (string(latest["reason"]), string(latest["queue"]), key)
        }
        return (string(headers["x-first-death-reason"]), string(headers["x-first-death-queue"]), nil)
    }
}
