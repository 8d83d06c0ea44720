import AMQP
import Foundation
import Testing

/// Tests against the real broker. Every test uses its own uniquely named
/// queues/exchanges and deletes them, so the suite can run in parallel.
@Suite struct BrokerTests {
    @Test func publishConsumeAckRoundTripsPropertiesAndHeaders() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("roundtrip")
        try admin.declareQueue(queue, durable: false)
        defer { try? admin.deleteQueue(queue) }

        let publisher = try TestEnv.publisher()
        let headers: AMQPTable = [
            "attempt": .int(3), "tenant": "acme", "urgent": true, "score": .double(0.25), "none": .void,
            "nested": .table(["a": .int(-1), "list": .array(["x", .int(2), .bool(false)])]),
        ]
        let properties = AMQPProperties(
            contentType: "application/json", contentEncoding: "identity", messageId: "m-1", correlationId: "c-1",
            persistent: true, headers: headers, timestamp: Date(timeIntervalSince1970: 1_700_000_000), type: "job.created",
            replyTo: "replies", expiration: "60000", priority: 3, appId: "tests")
        let body = Array(#"{"hello":"world"}"#.utf8)
        let sequence = try publisher.publish(exchange: "", routingKey: queue, body: body, properties: properties)
        #expect(sequence == 1)
        #expect(publisher.outstandingConfirms == 1)
        try publisher.waitForConfirms(timeout: 10)
        #expect(publisher.outstandingConfirms == 0)
        #expect(try publisher.publish(exchange: "", routingKey: queue, body: []) == 2)
        try publisher.waitForConfirms(timeout: 10)

        let consumer = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("con")), queue: queue, prefetch: 10)
        let delivery = try #require(try nextDelivery(consumer))
        #expect(delivery.body == body)
        #expect(delivery.routingKey == queue)
        #expect(delivery.exchange == "")
        #expect(delivery.redelivered == false)
        #expect(delivery.properties == properties)
        let empty = try #require(try nextDelivery(consumer))
        #expect(empty.body.isEmpty)
        #expect(empty.properties == AMQPProperties())
        try consumer.ack(empty.deliveryTag, multiple: true)  // acks both
        #expect(try consumer.next(timeout: 0.2) == nil)
        consumer.close()
        consumer.close()  // idempotent
        #expect(try admin.queueCounts(queue).messageCount == 0)
    }

    @Test func largeBodySpansFrames() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("large")
        try admin.declareQueue(queue, durable: false)
        defer { try? admin.deleteQueue(queue) }
        let body = (0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let publisher = try TestEnv.publisher()
        try publisher.publish(exchange: "", routingKey: queue, body: body)
        try publisher.waitForConfirms(timeout: 10)
        let consumer = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("con")), queue: queue, prefetch: 1)
        let delivery = try #require(try nextDelivery(consumer))
        #expect(delivery.body == body)
        try consumer.ack(delivery.deliveryTag)
    }

    @Test func unackedDeliveriesComeBackAfterConsumerDies() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("redeliver")
        try admin.declareQueue(queue, durable: false)
        defer { try? admin.deleteQueue(queue) }
        let publisher = try TestEnv.publisher()
        for i in 0..<3 { try publisher.publish(exchange: "", routingKey: queue, body: [UInt8(i)]) }
        try publisher.waitForConfirms(timeout: 10)

        let first = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("con")), queue: queue, prefetch: 10)
        var seen: [UInt8] = []
        for _ in 0..<3 { seen += try #require(try nextDelivery(first)).body }
        #expect(seen == [0, 1, 2])
        first.close()  // without acking

        let second = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("con")), queue: queue, prefetch: 10)
        var again: [UInt8] = []
        for _ in 0..<3 {
            let delivery = try #require(try nextDelivery(second))
            #expect(delivery.redelivered)
            again += delivery.body
            try second.ack(delivery.deliveryTag)
        }
        #expect(again.sorted() == [0, 1, 2])
    }

    @Test func rejectWithoutRequeueDeadLetters() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("work")
        let dlx = TestEnv.unique("dlx")
        let dlq = TestEnv.unique("dlq")
        try admin.declareExchange(dlx, type: "fanout", durable: false)
        try admin.declareQueue(dlq, durable: false)
        try admin.bindQueue(dlq, exchange: dlx, routingKey: "")
        try admin.declareQueue(queue, durable: false, arguments: ["x-dead-letter-exchange": .string(dlx)])
        defer {
            try? admin.deleteQueue(queue)
            try? admin.deleteQueue(dlq)
            try? admin.deleteExchange(dlx)
        }
        let publisher = try TestEnv.publisher()
        try publisher.publish(exchange: "", routingKey: queue, body: Array("poison".utf8), properties: .init(messageId: "p-1"))
        try publisher.waitForConfirms(timeout: 10)

        let consumer = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("con")), queue: queue, prefetch: 1)
        let delivery = try #require(try nextDelivery(consumer))
        try consumer.reject(delivery.deliveryTag, requeue: false)

        let dead = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("con")), queue: dlq, prefetch: 1)
        let parked = try #require(try nextDelivery(dead))
        #expect(parked.body == Array("poison".utf8))
        #expect(parked.properties.messageId == "p-1")
        guard case .array(let deaths)? = parked.properties.headers["x-death"], case .table(let death)? = deaths.first else {
            Issue.record("missing x-death header: \(parked.properties.headers)")
            return
        }
        #expect(death["reason"] == .string("rejected"))
        #expect(death["queue"] == .string(queue))
        try dead.ack(parked.deliveryTag)
    }

    @Test func quorumQueueParksPoisonMessageAfterDeliveryLimit() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("quorum")
        let dlx = TestEnv.unique("qdlx")
        let dlq = TestEnv.unique("qdlq")
        try admin.declareExchange(dlx, type: "fanout", durable: false)
        try admin.declareQueue(dlq, durable: false)
        try admin.bindQueue(dlq, exchange: dlx, routingKey: "")
        try admin.declareQueue(
            queue, durable: true,
            arguments: ["x-queue-type": "quorum", "x-delivery-limit": .int(2), "x-dead-letter-exchange": .string(dlx)])
        defer {
            try? admin.deleteQueue(queue)
            try? admin.deleteQueue(dlq)
            try? admin.deleteExchange(dlx)
        }
        let publisher = try TestEnv.publisher()
        try publisher.publish(exchange: "", routingKey: queue, body: Array("crash me".utf8), properties: .init(persistent: true))
        try publisher.waitForConfirms(timeout: 10)

        // Alternate nack-requeue and consumer deaths until the broker stops redelivering.
        var deliveries = 0
        for attempt in 0..<6 {
            let consumer = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("con")), queue: queue, prefetch: 1)
            defer { consumer.close() }  // consumer death requeues whatever is unacked
            guard let delivery = try nextDelivery(consumer, within: 2) else { break }
            deliveries += 1
            #expect(delivery.body == Array("crash me".utf8))
            if attempt % 2 == 0 {
                try consumer.nack(delivery.deliveryTag, requeue: true)
                // A nack-requeued message comes straight back to the same consumer.
                if let again = try nextDelivery(consumer, within: 2) {
                    deliveries += 1
                    #expect(again.redelivered)
                }
            }
        }
        // Delivered once plus `x-delivery-limit` redeliveries, then dead-lettered.
        #expect(deliveries == 3)

        let dead = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("con")), queue: dlq, prefetch: 1)
        let parked = try #require(try nextDelivery(dead))
        #expect(parked.body == Array("crash me".utf8))
        try dead.ack(parked.deliveryTag)
        #expect(try admin.queueCounts(queue).messageCount == 0)
    }

    @Test func mandatoryUnroutablePublishIsReturned() throws {
        let publisher = try TestEnv.publisher()
        let key = TestEnv.unique("nowhere")
        try publisher.publish(exchange: "", routingKey: key, body: Array("lost".utf8), properties: .init(messageId: "r-1"), mandatory: true)
        let error = try #require(throws: AMQPError.self) { try publisher.waitForConfirms(timeout: 10) }
        #expect(error.kind == .returned)
        #expect(error.replyCode == 312)
        #expect(error.returned.count == 1)
        #expect(error.returned.first?.routingKey == key)
        #expect(error.returned.first?.replyText == "NO_ROUTE")
        #expect(error.returned.first?.body == Array("lost".utf8))
        #expect(error.returned.first?.properties.messageId == "r-1")
        #expect(!error.isConnectionLost)
        // Reported once; the publisher keeps working.
        try publisher.publish(exchange: "", routingKey: key, body: [1])
        try publisher.waitForConfirms(timeout: 10)
    }

    @Test func rejectPublishOverflowIsNacked() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("full")
        try admin.declareQueue(queue, durable: false, arguments: ["x-max-length": .int(1), "x-overflow": "reject-publish"])
        defer { try? admin.deleteQueue(queue) }
        let publisher = try TestEnv.publisher()
        try publisher.publish(exchange: "", routingKey: queue, body: [1])
        try publisher.waitForConfirms(timeout: 10)
        let second = try publisher.publish(exchange: "", routingKey: queue, body: [2])
        let error = try #require(throws: AMQPError.self) { try publisher.waitForConfirms(timeout: 10) }
        #expect(error.kind == .publishNacked)
        #expect(error.nackedSequenceNumbers == [second])
        #expect(publisher.outstandingConfirms == 0)
        try admin.purgeQueue(queue)
        try publisher.publish(exchange: "", routingKey: queue, body: [3])
        try publisher.waitForConfirms(timeout: 10)
        #expect(try admin.queueCounts(queue).messageCount == 1)
    }

    @Test func publishToMissingExchangeClosesChannelAndRecovers() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("after404")
        try admin.declareQueue(queue, durable: false)
        defer { try? admin.deleteQueue(queue) }
        let publisher = try TestEnv.publisher()
        try publisher.publish(exchange: TestEnv.unique("missing"), routingKey: "x", body: [1])
        let error = try #require(throws: AMQPError.self) { try publisher.waitForConfirms(timeout: 10) }
        #expect(error.kind == .channelClosed)
        #expect(error.replyCode == 404)
        #expect(!error.isConnectionLost)
        #expect(try publisher.publish(exchange: "", routingKey: queue, body: [2]) == 1)  // new channel, new numbering
        try publisher.waitForConfirms(timeout: 10)
        #expect(try admin.queueCounts(queue).messageCount == 1)
    }

    @Test func redeclareWithOtherArgumentsIs406AndConnectionStaysUsable() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("redeclare")
        try admin.declareQueue(queue, durable: false, arguments: ["x-max-length": .int(10)])
        defer { try? admin.deleteQueue(queue) }
        let error = try #require(throws: AMQPError.self) {
            try admin.declareQueue(queue, durable: false, arguments: ["x-max-length": .int(20)])
        }
        #expect(error.kind == .channelClosed)
        #expect(error.replyCode == 406)
        #expect(error.replyText?.contains("PRECONDITION_FAILED") == true)
        #expect(!error.isConnectionLost)
        #expect(admin.isOpen)

        let missing = try #require(throws: AMQPError.self) { try admin.queueCounts(TestEnv.unique("nope")) }
        #expect(missing.kind == .channelClosed)
        #expect(missing.replyCode == 404)

        let counts = try admin.declareQueue(queue, durable: false, arguments: ["x-max-length": .int(10)])
        #expect(counts.messageCount == 0 && counts.consumerCount == 0)
        admin.close()
        #expect(!admin.isOpen)
        #expect(throws: AMQPError.self) { try admin.purgeQueue(queue) }
        admin.close()
        try TestEnv.connection().deleteQueue(queue)
    }

    @Test func consumerIsToldWhenItsQueueIsDeleted() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("cancel")
        try admin.declareQueue(queue, durable: false)
        defer { try? admin.deleteQueue(queue) }
        let consumer = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(TestEnv.unique("con")), queue: queue, prefetch: 1)
        try admin.deleteQueue(queue)
        let error = try #require(throws: AMQPError.self) { _ = try nextDelivery(consumer, within: 5) }
        #expect(error.kind == .channelClosed)
        #expect(!consumer.isOpen)
        let after = try #require(throws: AMQPError.self) { _ = try consumer.next(timeout: 0.1) }
        #expect(after.isConnectionLost)
    }

    @Test func connectFailures() throws {
        var refused = try TestEnv.url()
        refused.port = 1
        let error = try #require(throws: AMQPError.self) { _ = try AMQPConnection(url: refused, options: .init(name: "refused")) }
        #expect(error.kind == .connectionFailed)
        #expect(error.isConnectionLost)

        // TLS against the plain-text port: the handshake fails cleanly within the connect timeout.
        var tlsToPlain = try TestEnv.url()
        tlsToPlain.tls = true
        tlsToPlain.connectTimeout = 2
        let tlsError = try #require(throws: AMQPError.self) { _ = try AMQPConnection(url: tlsToPlain, options: .init(name: "tls")) }
        #expect(tlsError.kind == .connectionFailed)

        var badLogin = try TestEnv.url()
        badLogin.password = "definitely-wrong"
        let denied = try #require(throws: AMQPError.self) { _ = try AMQPConnection(url: badLogin, options: .init(name: "denied")) }
        #expect(denied.kind == .connectionFailed)
        #expect(denied.replyCode == 403)
        #expect(!denied.description.contains("definitely-wrong"))
    }

    @Test func consumerReconnectsAfterBrokerClosesItsConnection() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("reconnect")
        try admin.declareQueue(queue, durable: false)
        defer { try? admin.deleteQueue(queue) }
        let publisher = try TestEnv.publisher()
        try publisher.publish(exchange: "", routingKey: queue, body: Array("job".utf8))
        try publisher.waitForConfirms(timeout: 10)

        let name = TestEnv.unique("victim")
        let consumer = try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(name), queue: queue, prefetch: 1)
        let first = try #require(try nextDelivery(consumer))
        #expect(!first.redelivered)
        #expect(try TestEnv.closeConnection(named: name))

        let error = try #require(throws: AMQPError.self) {
            for _ in 0..<40 { _ = try consumer.next(timeout: 0.25) }
        }
        #expect(error.isConnectionLost)
        #expect(error.kind == .connectionClosed)
        #expect(error.replyCode == 320)

        var failures = 0
        let replacement = try withReconnect(backoff: Backoff(initial: 0.05, maximum: 0.5), maxAttempts: 20, onFailure: { _, _ in failures += 1 }) {
            try AMQPConsumer(url: TestEnv.url(), options: TestEnv.options(name), queue: queue, prefetch: 1)
        }
        let again = try #require(try nextDelivery(replacement))
        #expect(again.redelivered)
        #expect(again.body == Array("job".utf8))
        try replacement.ack(again.deliveryTag)
    }

    @Test func heartbeatsKeepIdleConnectionsAlive() throws {
        let admin = try TestEnv.connection()
        let queue = TestEnv.unique("heartbeat")
        try admin.declareQueue(queue, durable: false)
        defer { try? admin.deleteQueue(queue) }
        let url = try TestEnv.url(heartbeat: 2)
        let consumer = try AMQPConsumer(url: url, options: TestEnv.options(TestEnv.unique("hb-con")), queue: queue, prefetch: 1)
        let publisher = try AMQPPublisher(url: url, options: TestEnv.options(TestEnv.unique("hb-pub")))
        let start = Date()
        while Date().timeIntervalSince(start) < 6.5 {
            #expect(try consumer.next(timeout: 0.5) == nil)
            try publisher.serviceHeartbeat()
        }
        #expect(consumer.isOpen && publisher.isOpen)
        try publisher.publish(exchange: "", routingKey: queue, body: [42])
        try publisher.waitForConfirms(timeout: 5)
        let delivery = try #require(try nextDelivery(consumer, within: 5))
        #expect(delivery.body == [42])
        try consumer.ack(delivery.deliveryTag)
    }
}
