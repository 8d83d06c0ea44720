import AMQP
import Foundation
import Testing

/// Raw throughput, only with OMBUD_AMQP_BENCH=1 (prints msgs/s; no assertions on speed).
@Suite struct ThroughputTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["OMBUD_AMQP_BENCH"] == "1"))
    func publishConfirmConsumeAck() throws {
        let count = Int(ProcessInfo.processInfo.environment["OMBUD_AMQP_BENCH_COUNT"] ?? "") ?? 50_000
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("bench")
        try admin.declareQueue(queue, durable: false)
        defer { try? admin.deleteQueue(queue) }
        let body = [UInt8](repeating: 0x61, count: 256)
        let properties = AMQPProperties(contentType: "application/json", messageId: "bench", persistent: false)

        let publisher = try TestEnv.publisher()
        var start = Date()
        for i in 1...count {
            try publisher.publish(exchange: "", routingKey: queue, body: body, properties: properties)
            if i % 1000 == 0 { try publisher.waitForConfirms(timeout: 30) }
        }
        try publisher.waitForConfirms(timeout: 30)
        let publishRate = Double(count) / Date().timeIntervalSince(start)

        start = Date()
        for _ in 1...2000 {
            try publisher.publish(exchange: "", routingKey: queue, body: body, properties: properties)
            try publisher.waitForConfirms(timeout: 30)
        }
        let syncRate = 2000 / Date().timeIntervalSince(start)

        let consumer = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("bench-con")), queue: queue, prefetch: 500)
        start = Date()
        var received = 0
        while received < count + 2000 {
            guard let delivery = try consumer.next(timeout: 5) else { break }
            try consumer.ack(delivery.deliveryTag)
            received += 1
        }
        let consumeRate = Double(received) / Date().timeIntervalSince(start)
        #expect(received == count + 2000)
        print("AMQP bench: publish+confirm (batch 1000) \(Int(publishRate)) msg/s; publish+confirm one at a time \(Int(syncRate)) msg/s; consume+ack \(Int(consumeRate)) msg/s (256 B bodies)")
    }
}
