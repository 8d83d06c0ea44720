import AMQP
import Foundation
@testable import OmbudRuntime
import Postgres
import Testing

@Suite("Parked reconcile (no I/O)")
struct ParkedReconcileUnitTests {
    func delivery(headers: AMQPTable, routingKey: String = "s1") -> AMQPDelivery {
        var properties = AMQPProperties()
        properties.messageId = "m-1"
        properties.headers = headers
        return AMQPDelivery(deliveryTag: 1, exchange: "p.parked", routingKey: routingKey, redelivered: false,
                            properties: properties, body: Array("{}".utf8))
    }

    @Test func theRuntimesCopyKeepsItsReasonAndFailure() {
        let record = ParkedReconcile.parkedRecord(for: delivery(headers: [
            "x-ombud-park-reason": .string("retries exhausted after 4 attempts: timeout"),
            "x-ombud-failure": .string("retries_exhausted")]))
        #expect(record.reason == "retries exhausted after 4 attempts: timeout")
        #expect(record.failure == "retries_exhausted")
        #expect(record.message.messageId == "m-1")
        // A failure the table does not know (a newer fleet, a hand-made message) becomes permanent, not a failed insert.
        #expect(ParkedReconcile.parkedRecord(for: delivery(headers: ["x-ombud-park-reason": .string("r"),
                                                                     "x-ombud-failure": .string("odd")])).failure == "permanent")
    }

    @Test func aBrokerDeadLetterIsPoisonWithTheBrokersReason() {
        let record = ParkedReconcile.parkedRecord(for: delivery(headers: [
            "x-delivery-count": .int(5),
            "x-death": .array([
                .table(["reason": .string("delivery_limit"), "queue": .string("p.s1"), "routing-keys": .array([.string("s1.in")])]),
                .table(["reason": .string("expired"), "queue": .string("p.retry.1s"), "routing-keys": .array([.string("1s")])]),
            ])]))
        #expect(record.failure == "poison")
        #expect(record.reason.contains("delivery_limit"))
        #expect(record.reason.contains("after 5 deliveries"))
        #expect(record.message.routingKey == "s1.in")
        #expect(record.message.headers["x-ombud-dead-lettered-from"] == "p.s1")
        // Only the x-first-death headers: still the broker's reason.
        let bare = ParkedReconcile.parkedRecord(for: delivery(headers: ["x-first-death-reason": .string("rejected")]))
        #expect(bare.reason.contains("rejected"))
        #expect(bare.message.routingKey == "s1")
    }
}

@Suite("Parked reconcile")
struct ParkedReconcileTests {
    /// A message the broker dead-letters by itself (its delivery limit, with no worker to record it) and a copy of a
    /// message the runtime parked and recorded: reconcile records the first, drops the copy, empties the queue, and
    /// running it again changes nothing. The recorded message can then be replayed to its stage.
    @Test func recordsWhatOnlyTheBrokerParkedAndEmptiesTheQueue() throws {
        let fixture = try RuntimeFixture(stages: ["s1"])
        let names = fixture.names
        let parkedQueue = names.parkedQueue(stage: "s1")

        // The broker's own dead letter: reject a message until the quorum queue's delivery limit parks it.
        try fixture.publish(count: 1, to: "s1", idPrefix: "limit-")
        let consumer = try AMQPConsumer(url: fixture.url, options: .init(name: "\(names.prefix)-rejecter"),
                                        queue: names.queue(stage: "s1"), prefetch: 1)
        #expect(try fixture.waitUntil(timeout: 20) {
            if let delivery = try consumer.next(timeout: 0.2) { try consumer.nack(delivery.deliveryTag, requeue: true) }
            return try fixture.queueDepth(parkedQueue) == 1
        })
        consumer.close()

        // The runtime's copy of a message it parked and recorded.
        let copy = Disposition.parkedCopy(of: StageMessage(messageId: "copy-0", routingKey: "s1", body: Array("{}".utf8)),
                                          stage: "s1", names: names, failure: "permanent", reason: "bad input")
        try fixture.database.transaction { db in
            _ = try ParkedStore(database: db).recordIfMissing(stage: names.queue(stage: "s1"), [
                ParkedReconcile.Record(message: StageMessage(messageId: "copy-0", routingKey: "s1", body: Array("{}".utf8)),
                                       failure: "permanent", reason: "bad input")])
        }
        let publisher = try AMQPPublisher(url: fixture.url, options: .init(name: "\(names.prefix)-copy"))
        try publisher.publish(exchange: copy.exchange, routingKey: copy.routingKey, body: Array(copy.body.utf8), properties: copy.amqpProperties)
        try publisher.waitForConfirms(timeout: 10)
        publisher.close()
        #expect(try fixture.waitUntil(timeout: 5) { try fixture.queueDepth(parkedQueue) == 2 })

        let first = try ParkedReconcile.drain(stageQueue: names.queue(stage: "s1"), parkedQueue: parkedQueue,
                                              url: fixture.url, database: fixture.database)
        #expect(first == ParkedReconcile.Outcome(alreadyRecorded: 1, recordedNow: 1))
        #expect(try fixture.queueDepth(parkedQueue) == 0)
        let rows = try fixture.parkedRows(stage: "s1")
        #expect(rows.map(\.messageId) == ["copy-0", "limit-0"])
        #expect(rows.first { $0.messageId == "copy-0" }?.reason == "bad input")
        let limited = try #require(rows.first { $0.messageId == "limit-0" })
        #expect(limited.failure == "poison")
        #expect(limited.reason.contains("delivery_limit"))

        let again = try ParkedReconcile.drain(stageQueue: names.queue(stage: "s1"), parkedQueue: parkedQueue,
                                              url: fixture.url, database: fixture.database)
        #expect(again == ParkedReconcile.Outcome())
        #expect(try fixture.parkedRows(stage: "s1").count == 2)

        // Recorded now, so replayable: it goes back to its stage's queue.
        let replayer = try AMQPPublisher(url: fixture.url, options: .init(name: "\(names.prefix)-replay"))
        defer { replayer.close() }
        let limitedId = try fixture.database.query("SELECT id FROM ombud.parked_messages WHERE stage = $1 AND message_id = 'limit-0'",
                                                   [.text(names.queue(stage: "s1"))])[0].decode(Int64.self, column: 0)
        let replayed = try ParkedReplay.replay(stageQueue: names.queue(stage: "s1"), ids: [limitedId],
                                               database: fixture.database, publisher: replayer)
        #expect(replayed.map(\.messageId) == ["limit-0"])
        #expect(try fixture.waitUntil(timeout: 5) { try fixture.queueDepth(names.queue(stage: "s1")) == 1 })
    }
}
