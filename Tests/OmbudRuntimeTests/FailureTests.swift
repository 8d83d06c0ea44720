import AMQP
import Foundation
@testable import OmbudRuntime
import Postgres
import Testing

/// A stage that records an effect for each message, and fails on purpose for marked bodies:
/// `"fail":"permanent"` always, `"fail":"transient"` on the first attempt only, `"fail":"always-transient"` always.
struct FlakyStage: Stage {
    let name: String
    let run: String

    func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult {
        // The effect comes first, so a failure must roll it back with the message's savepoint.
        try context.database.query("INSERT INTO ombud_bench.arrivals (run, message_id) VALUES ($1, $2)",
                                   [.text(run), .text(message.messageId)])
        let body = message.bodyText
        if body.contains("\"fail\":\"permanent\"") { throw StageFailure.permanent("body marked as malformed") }
        if body.contains("\"fail\":\"transient\""), message.attempt == 0 { throw StageFailure.transient("dependency unavailable") }
        if body.contains("\"fail\":\"always-transient\"") { throw StageFailure.transient("dependency still unavailable") }
        return StageResult()
    }
}

/// Records which handler ran for each message: the set-based batch handler or the per-message one.
struct TwoPathStage: Stage {
    let name: String
    let run: String

    func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult {
        if message.bodyText.contains("\"fail\"") { throw StageFailure.permanent("body marked as malformed") }
        try context.database.query("INSERT INTO ombud_bench.arrivals (run, message_id) VALUES ($1, $2)",
                                   [.text(run), .text("single:" + message.messageId)])
        return StageResult()
    }

    func handle(batch messages: [StageMessage], in context: StageContext) throws -> [StageResult] {
        if messages.contains(where: { $0.bodyText.contains("\"fail\"") }) { throw StageFailure.permanent("a bad message in the batch") }
        try context.database.query("INSERT INTO ombud_bench.arrivals (run, message_id) SELECT $1, 'batch:' || unnest($2::text[])",
                                   [.text(run), .textArray(messages.map(\.messageId))])
        return messages.map { _ in StageResult() }
    }
}

@Suite("Runtime failures")
struct FailureTests {
    @Test("a permanent error parks exactly that message; the rest of its batch commits")
    func permanentErrorParksOne() throws {
        let fixture = try RuntimeFixture(stages: ["only"])
        // Publish before starting the lane so all 50 land in one batch.
        try fixture.publish(count: 50, body: { $0 == 17 ? "{\"fail\":\"permanent\"}" : "{\"n\":\($0)}" })
        let pool = fixture.startPool([FlakyStage(name: "only", run: fixture.names.prefix)], batch: 64)
        defer { pool.stop(); pool.waitBlocking() }

        #expect(try fixture.waitUntil(timeout: 60) { try fixture.receipts(stage: "only") >= 50 })
        #expect(try fixture.receipts(stage: "only", outcome: "processed") == 49)
        #expect(try fixture.receipts(stage: "only", outcome: "parked") == 1)
        let parked = try fixture.parkedRows(stage: "only")
        #expect(parked.count == 1)
        #expect(parked.first?.messageId == "m17")
        #expect(parked.first?.reason == "body marked as malformed")
        #expect(parked.first?.failure == "permanent")
        // The parked message's own effect was rolled back with its savepoint; the others' stand.
        let arrivals = try fixture.arrivals
        #expect(arrivals.total == 49 && arrivals.distinct == 49)
        #expect(try fixture.waitUntil(timeout: 10) { try fixture.queueDepth(fixture.names.parkedQueue(stage: "only")) == 1 })
    }

    @Test("a transient error goes through a retry tier and comes back to its stage")
    func transientErrorRetries() throws {
        let fast = RetryPolicy(tiers: [.init(name: "200ms", delayMilliseconds: 200), .init(name: "400ms", delayMilliseconds: 400)])
        let fixture = try RuntimeFixture(stages: ["only"], retry: fast)
        let pool = fixture.startPool([FlakyStage(name: "only", run: fixture.names.prefix)])
        defer { pool.stop(); pool.waitBlocking() }
        try fixture.publish(count: 3, body: { $0 == 1 ? "{\"fail\":\"transient\"}" : ($0 == 2 ? "{\"fail\":\"always-transient\"}" : "{}") })

        // m1 fails once, waits in the 200ms tier, succeeds on attempt 1; m2 exhausts both tiers and is parked.
        #expect(try fixture.waitUntil(timeout: 30) { try fixture.receipts(stage: "only") >= 3 })
        #expect(try fixture.receipts(stage: "only", outcome: "processed") == 2)
        let parked = try fixture.parkedRows(stage: "only")
        #expect(parked.map(\.messageId) == ["m2"])
        #expect(parked.first?.failure == "retries_exhausted")
        #expect(parked.first?.reason.contains("dependency still unavailable") == true)
        let arrivals = try fixture.arrivals
        #expect(arrivals.total == 2, "m0 and m1 once each; every failed attempt rolled back")
    }

    @Test("a redelivered message with a receipt is not processed again; its recorded outputs are re-published")
    func duplicateRepublishes() throws {
        let fixture = try RuntimeFixture(stages: ["a", "b"])
        // Only stage a runs: its outputs pile up in b's queue where we can count them.
        let pool = fixture.startPool([PassThroughStage(name: "a", next: "b", run: fixture.names.prefix)])
        defer { pool.stop(); pool.waitBlocking() }
        try fixture.publish(count: 1)
        #expect(try fixture.waitUntil(timeout: 20) { try fixture.queueDepth(fixture.names.queue(stage: "b")) == 1 })
        try fixture.publish(count: 1)   // the same message id again
        #expect(try fixture.waitUntil(timeout: 20) { try fixture.queueDepth(fixture.names.queue(stage: "b")) == 2 })
        #expect(try fixture.receipts(stage: "a") == 1)

        let consumer = try AMQPConsumer(url: fixture.url, options: .init(name: "test-peek"), queue: fixture.names.queue(stage: "b"), prefetch: 10)
        defer { consumer.close() }
        let first = try #require(try consumer.next(timeout: 5))
        let second = try #require(try consumer.next(timeout: 5))
        #expect(first.properties.messageId == "m0>b")
        #expect(second.properties.messageId == first.properties.messageId)
        #expect(second.body == first.body)
    }

    @Test("a message that keeps coming back without completing is parked as poison before its handler runs again")
    func poisonIsParked() throws {
        let fixture = try RuntimeFixture(stages: ["only"])
        try fixture.publish(count: 1)
        // Return it to the quorum queue until its delivery count reaches the poison threshold, as repeated
        // worker crashes would.
        let consumer = try AMQPConsumer(url: fixture.url, options: .init(name: "\(fixture.names.prefix)-nacker"),
                                        queue: fixture.names.queue(stage: "only"), prefetch: 1)
        for _ in 0..<(fixture.topology.deliveryLimit - 1) {
            let delivery = try #require(try consumer.next(timeout: 5))
            try consumer.nack(delivery.deliveryTag, requeue: true)
        }
        consumer.close()

        let pool = fixture.startPool([FlakyStage(name: "only", run: fixture.names.prefix)])
        defer { pool.stop(); pool.waitBlocking() }
        #expect(try fixture.waitUntil(timeout: 20) { try fixture.receipts(stage: "only") >= 1 })
        let parked = try fixture.parkedRows(stage: "only")
        #expect(parked.map(\.messageId) == ["m0"])
        #expect(parked.first?.failure == "poison")
        #expect(try fixture.arrivals.total == 0, "the handler did not run")
        #expect(try fixture.waitUntil(timeout: 10) { try fixture.queueDepth(fixture.names.parkedQueue(stage: "only")) == 1 })
    }

    @Test("a parked message, replayed after the cause is fixed, is processed once")
    func replayAfterFix() throws {
        let fixture = try RuntimeFixture(stages: ["only"])
        try fixture.publish(count: 3, body: { $0 == 1 ? "{\"fail\":\"permanent\"}" : "{}" })
        do {
            let broken = fixture.startPool([FlakyStage(name: "only", run: fixture.names.prefix)])
            defer { broken.stop(); broken.waitBlocking() }
            #expect(try fixture.waitUntil(timeout: 20) { try fixture.receipts(stage: "only") >= 3 })
        }
        #expect(try fixture.parkedRows(stage: "only").map(\.messageId) == ["m1"])

        // "Fixed": a stage that accepts the body. Replay, and it is processed like any other message.
        let fixed = fixture.startPool([PassThroughStage(name: "only", next: nil, run: fixture.names.prefix)])
        defer { fixed.stop(); fixed.waitBlocking() }
        let publisher = try AMQPPublisher(url: fixture.url, options: .init(name: "\(fixture.names.prefix)-replay"))
        defer { publisher.close() }
        let replayed = try ParkedReplay.replay(stageQueue: fixture.names.queue(stage: "only"), database: fixture.database, publisher: publisher)
        #expect(replayed.map(\.messageId) == ["m1"])
        #expect(try fixture.waitUntil(timeout: 20) { try fixture.receipts(stage: "only", outcome: "processed") == 3 })
        #expect(try fixture.receipts(stage: "only", outcome: "parked") == 0)
        let arrivals = try fixture.arrivals
        #expect(arrivals.total == 3, "m0 and m2 by the flaky stage, m1 after the replay")
        // Replaying again finds nothing left to replay.
        #expect(try ParkedReplay.replay(stageQueue: fixture.names.queue(stage: "only"), database: fixture.database, publisher: publisher).isEmpty)
    }

    @Test("a stage's set-based batch handler runs on the fast path; a failure re-runs the batch message by message")
    func batchHandlerAndFallback() throws {
        let fixture = try RuntimeFixture(stages: ["only"])
        let run = fixture.names.prefix
        let pool = fixture.startPool([TwoPathStage(name: "only", run: run)], batch: 64)
        defer { pool.stop(); pool.waitBlocking() }
        try fixture.publish(count: 20)
        #expect(try fixture.waitUntil(timeout: 30) { try fixture.receipts(stage: "only") >= 20 })
        try fixture.publish(count: 20, body: { $0 == 5 ? "{\"fail\":true}" : "{}" }, idPrefix: "x")
        #expect(try fixture.waitUntil(timeout: 30) { try fixture.receipts(stage: "only") >= 40 })

        let paths = try fixture.database.query("""
            SELECT split_part(message_id, ':', 1), count(*) FROM ombud_bench.arrivals WHERE run = $1 GROUP BY 1 ORDER BY 1
            """, [.text(run)]).map { (try $0.decode(String.self, column: 0), try $0.decode(Int.self, column: 1)) }
        // The m batches used the batch handler; the batch(es) holding x5 fell back to the per-message
        // handler; x5 alone is parked.
        let byPath = Dictionary(uniqueKeysWithValues: paths)
        #expect(byPath["batch", default: 0] + byPath["single", default: 0] == 39)
        #expect(byPath["batch", default: 0] >= 20, "every m message went through the batch handler")
        #expect(try fixture.database.query("SELECT count(*) FROM ombud_bench.arrivals WHERE run = $1 AND message_id LIKE 'batch:m%'",
                                           [.text(run)])[0].decode(Int.self, column: 0) == 20)
        #expect(byPath["single", default: 0] >= 1, "the batch holding x5 went message by message")
        #expect(try fixture.parkedRows(stage: "only").map(\.messageId) == ["x5"])
        #expect(try fixture.receipts(stage: "only", outcome: "processed") == 39)
    }
}
