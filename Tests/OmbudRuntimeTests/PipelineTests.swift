import AMQP
import Foundation
@testable import OmbudRuntime
import Postgres
import Testing

/// The runtime end to end on the real broker and database. Each test has its own topology prefix.
@Suite("Runtime pipeline", .serialized)
struct PipelineTests {
    @Test("five pass-through stages carry 10,000 messages, one receipt each")
    func carriesTenThousand() throws {
        let fixture = try RuntimeFixture()
        let pool = fixture.startPool(PassThroughStage.chain(fixture.stages, run: fixture.names.prefix), batch: 128)
        defer { pool.stop(); pool.waitBlocking() }
        try fixture.publish(count: 10_000)
        let done = try fixture.waitUntil(timeout: 240) { try fixture.arrivals.total >= 10_000 }
        let arrived = try fixture.arrivals.total
        #expect(done, "only \(arrived) of 10000 arrived")
        Thread.sleep(forTimeInterval: 0.3)   // anything extra would show up now
        let arrivals = try fixture.arrivals
        #expect(arrivals.total == 10_000)
        #expect(arrivals.distinct == 10_000)
        for stage in fixture.stages { #expect(try fixture.receipts(stage: stage) == 10_000, "stage \(stage)") }
    }

    @Test("a worker killed with SIGKILL mid-run and restarted: every message once, no duplicates downstream")
    func survivesSIGKILL() throws {
        let fixture = try RuntimeFixture()
        let count = 10_000
        var worker = try WorkerProcess(fixture: fixture, lanes: 1, batch: 64)
        try fixture.publish(count: count)
        let midRun = try fixture.waitUntil(timeout: 120) { try fixture.arrivals.total >= 2_000 }
        #expect(midRun, "the worker made no progress:\n\(worker.log)")
        worker.kill(SIGKILL)
        _ = worker.waitForExit(timeout: 10)
        let atKill = try fixture.arrivals.total
        #expect(atKill < count, "the kill came too late to test anything")

        worker = try WorkerProcess(fixture: fixture, lanes: 1, batch: 64)
        let done = try fixture.waitUntil(timeout: 240) { try fixture.arrivals.total >= count }
        let arrived = try fixture.arrivals.total
        #expect(done, "only \(arrived) of \(count) arrived:\n\(worker.log)")
        worker.kill(SIGTERM)
        #expect(worker.waitForExit(timeout: 30) == 0)

        let arrivals = try fixture.arrivals
        #expect(arrivals.total == count, "duplicate effects downstream")
        #expect(arrivals.distinct == count)
        for stage in fixture.stages {
            #expect(try fixture.receipts(stage: stage) == count, "stage \(stage) receipts")
            #expect(try fixture.queueDepth(fixture.names.queue(stage: stage)) == 0)
        }
    }

    @Test("SIGTERM finishes the batch in hand: every message is either processed or still queued, exactly once")
    func sigtermDrains() throws {
        let fixture = try RuntimeFixture()
        let count = 4_000
        let worker = try WorkerProcess(fixture: fixture, lanes: 1, batch: 32, httpPort: 0)
        try fixture.publish(count: count)
        #expect(try fixture.waitUntil(timeout: 120) { try fixture.arrivals.total >= 500 }, "no progress:\n\(worker.log)")
        worker.kill(SIGTERM)
        let status = worker.waitForExit(timeout: 30)
        #expect(status == 0, "exit status \(String(describing: status)):\n\(worker.log)")
        #expect(worker.log.contains("worker stopped"))

        // Drained: each message is in exactly one place — arrived, or waiting in one stage queue.
        // A batch committed and published but not acked would show up twice.
        Thread.sleep(forTimeInterval: 0.5)
        var queued = 0
        for stage in fixture.stages { queued += try fixture.queueDepth(fixture.names.queue(stage: stage)) }
        let arrived = try fixture.arrivals.total
        #expect(arrived + queued == count, "arrived \(arrived) + queued \(queued) != \(count)")
        #expect(arrived < count, "SIGTERM came after the run finished; nothing was in flight")

        // And a fresh worker finishes the rest without duplicates.
        let pool = fixture.startPool(PassThroughStage.chain(fixture.stages, run: fixture.names.prefix))
        defer { pool.stop(); pool.waitBlocking() }
        #expect(try fixture.waitUntil(timeout: 120) { try fixture.arrivals.total >= count })
        let arrivals = try fixture.arrivals
        #expect(arrivals.total == count && arrivals.distinct == count)
    }

    @Test("lanes reconnect when the database and the broker cut their connections mid-run; nothing lost or doubled")
    func recoversFromCutConnections() throws {
        let fixture = try RuntimeFixture()
        let pool = fixture.startPool(PassThroughStage.chain(fixture.stages, run: fixture.names.prefix), batch: 32)
        defer { pool.stop(); pool.waitBlocking() }

        try fixture.publish(count: 4_000, idPrefix: "a")
        #expect(try fixture.waitUntil(timeout: 60) { try fixture.arrivals.total >= 500 })
        #expect(try fixture.terminateDatabaseConnections() >= 5, "one database connection per lane")
        try fixture.publish(count: 4_000, idPrefix: "b")
        #expect(try fixture.waitUntil(timeout: 60) { try fixture.arrivals.total >= 4_500 }, "no progress after the database cut")
        #expect(try fixture.closeBrokerConnections() >= 10, "a consumer and a publisher per lane")

        let done = try fixture.waitUntil(timeout: 180) { try fixture.arrivals.total >= 8_000 }
        let arrivals = try fixture.arrivals
        #expect(done, "only \(arrivals.total) of 8000 arrived")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try fixture.arrivals.total == 8_000, "duplicate effects")
        #expect(arrivals.distinct == 8_000)
        for stage in fixture.stages { #expect(try fixture.receipts(stage: stage) == 8_000, "stage \(stage)") }
        #expect(pool.control.allReady, "every lane reconnected")
    }
}
