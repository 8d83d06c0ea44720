import AMQP
import Foundation
import OmbudRuntime
import Postgres
import Synchronization

/// The two sides of `ombudctl bench relay`. Each measurement declares its own topology prefix and
/// deletes it afterwards.
struct RelayBench {
    let url: AMQPURL
    let databaseURL: String
    let bodySize: Int
    let lanes: Int
    let stages = ["s1", "s2", "s3", "s4", "s5"]

    private func freshTopology(_ kind: String) -> Topology {
        let id = UUID().uuidString.prefix(8).lowercased()
        return Topology.chain(names: TopologyNames(prefix: "bench-\(kind)-\(id)"), stages: stages)
    }

    private func body() -> [UInt8] {
        let text = "{\"schema\":\"ombud.bench.v1\",\"pad\":\"" + String(repeating: "x", count: max(0, bodySize - 40)) + "\"}"
        return Array(text.utf8)
    }

    /// (a) Broker only: a producer, four relays and a sink.
    func raw(batch: Int, count: Int) throws -> Double {
        let topology = freshTopology("raw")
        let admin = try AMQPConnection(url: url, options: .init(name: "bench-admin"))
        try topology.declare(on: admin)
        defer { try? topology.delete(on: admin); admin.close() }
        let names = topology.names
        let stop = Atomic<Bool>(false)
        let arrived = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        var threads: [Thread] = []
        let finished = Atomic<Int>(0)

        // Relays s1→s2 … s4→s5, and the sink on s5.
        for (i, stage) in stages.enumerated() {
            let next = i + 1 < stages.count ? stages[i + 1] : nil
            for lane in 0..<lanes {
                threads.append(Thread { [url] in
                    defer { finished.add(1, ordering: .relaxed) }
                    do {
                        let consumer = try AMQPConsumer(url: url, options: .init(name: "bench-raw-\(stage)-\(lane)"),
                                                        queue: names.queue(stage: stage), prefetch: UInt16(clamping: batch * 2))
                        let publisher = next == nil ? nil : try AMQPPublisher(url: url, options: .init(name: "bench-raw-pub-\(stage)-\(lane)"))
                        defer { consumer.close(); publisher?.close() }
                        while !stop.load(ordering: .relaxed) {
                            var deliveries: [AMQPDelivery] = []
                            guard let first = try consumer.next(timeout: 0.05) else { continue }
                            deliveries.append(first)
                            let deadline = Date().addingTimeInterval(0.004)
                            while deliveries.count < batch, let more = try consumer.next(timeout: max(0, deadline.timeIntervalSinceNow)) {
                                deliveries.append(more)
                            }
                            if let publisher, let next {
                                for delivery in deliveries {
                                    var properties = delivery.properties
                                    properties.persistent = true
                                    try publisher.publish(exchange: names.pipeline, routingKey: names.pipelineKey(stage: next),
                                                          body: delivery.body, properties: properties)
                                }
                                try publisher.waitForConfirms(timeout: 30)
                            }
                            try consumer.ack(deliveries[deliveries.count - 1].deliveryTag, multiple: true)
                            if next == nil { arrived.add(deliveries.count, ordering: .relaxed) }
                        }
                    } catch {
                        failures.withLock { $0.append("\(stage): \(error)") }
                    }
                })
            }
        }
        threads.forEach { $0.start() }
        Thread.sleep(forTimeInterval: 0.3)   // consumers attached
        let started = Date()
        try produce(count: count, names: names)
        while arrived.load(ordering: .relaxed) < count {
            if let failure = failures.withLock({ $0.first }) { stop.store(true, ordering: .relaxed); throw BenchError(failure) }
            if Date().timeIntervalSince(started) > 600 { stop.store(true, ordering: .relaxed); throw BenchError("raw relay timed out") }
            Thread.sleep(forTimeInterval: 0.002)
        }
        let elapsed = Date().timeIntervalSince(started)
        stop.store(true, ordering: .relaxed)
        while finished.load(ordering: .relaxed) < threads.count { Thread.sleep(forTimeInterval: 0.01) }
        return Double(count) / elapsed
    }

    /// (b) The runtime: five pass-through stages in lanes of this process, receipts in PostgreSQL.
    func runtime(batch: Int, count: Int, database: PostgresConnection) throws -> Double {
        let topology = freshTopology("rt")
        let admin = try AMQPConnection(url: url, options: .init(name: "bench-admin"))
        try topology.declare(on: admin)
        defer { try? topology.delete(on: admin); admin.close() }
        let names = topology.names
        let settings = LaneSettings(amqpURL: url, databaseURL: databaseURL, names: names, lanes: lanes,
                                    batchSize: batch, processName: "bench")
        let pool = LanePool(stages: PassThroughStage.chain(stages, run: names.prefix, recordsArrivals: false), settings: settings,
                            logger: .init(label: "bench"))
        pool.start()
        defer {
            pool.stop()
            pool.waitBlocking()
            _ = try? database.query("DELETE FROM ombud.stage_receipts WHERE stage = ANY($1::text[])", [.textArray(stages.map { names.queue(stage: $0) })])
        }
        while !pool.control.allReady { Thread.sleep(forTimeInterval: 0.02) }
        let started = Date()
        try produce(count: count, names: names)
        // Done when the last stage has a receipt for every message.
        let lastQueue = names.queue(stage: stages[stages.count - 1])
        while try database.query("SELECT count(*) FROM ombud.stage_receipts WHERE stage = $1", [.text(lastQueue)])[0]
                .decode(Int.self, column: 0) < count {
            if Date().timeIntervalSince(started) > 900 { throw BenchError("runtime relay timed out") }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return Double(count) / Date().timeIntervalSince(started)
    }

    /// Publishes `count` persistent messages to the first stage, confirming every 256.
    private func produce(count: Int, names: TopologyNames) throws {
        let publisher = try AMQPPublisher(url: url, options: .init(name: "bench-producer"))
        defer { publisher.close() }
        let payload = body()
        var properties = AMQPProperties()
        properties.persistent = true
        properties.contentType = "application/json"
        for i in 0..<count {
            properties.messageId = "m\(i)"
            try publisher.publish(exchange: names.pipeline, routingKey: names.pipelineKey(stage: stages[0]), body: payload, properties: properties)
            if i % 256 == 255 { try publisher.waitForConfirms(timeout: 30) }
        }
        try publisher.waitForConfirms(timeout: 30)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
