import AMQP

/// Turning a broker delivery into the `StageMessage` a handler sees.
enum MessageIdentity {
    /// The message's id: its `message_id` property, or, for publishers that set none, a digest of
    /// routing key and body (deterministic, so a re-published copy gets the same id).
    static func messageId(of delivery: AMQPDelivery) -> String {
        if let id = delivery.properties.messageId, !id.isEmpty { return id }
        return "content-" + contentDigest(Array(delivery.routingKey.utf8) + [0] + delivery.body)
    }

    static func stageMessage(from delivery: AMQPDelivery) -> StageMessage {
        let headers = delivery.properties.headers.compactMapValues(render)
        return StageMessage(messageId: messageId(of: delivery), correlationId: delivery.properties.correlationId,
                            routingKey: delivery.routingKey, body: delivery.body, headers: headers,
                            attempt: headers["x-ombud-attempt"].flatMap { Int($0) } ?? 0,
                            redelivered: delivery.redelivered)
    }

    /// Quorum queues count returns in `x-delivery-count`.
    static func deliveryCount(of delivery: AMQPDelivery) -> Int {
        if case .int(let n)? = delivery.properties.headers["x-delivery-count"] { return Int(n) }
        return 0
    }

    static func render(_ value: AMQPValue) -> String? {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return String(b)
        case .double(let d): return String(d)
        case .table, .array, .void: return nil   // x-death and friends: not a handler's business
        }
    }

    /// 128-bit FNV-1a (two 64-bit lanes with different offsets), hex. Not cryptographic: only an id.
    static func contentDigest(_ bytes: [UInt8]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte ^ 0x5a)) &* 0x0000_0100_0000_01b3
        }
        return hex(a) + hex(b)
    }

    private static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

extension OutboundMessage {
    /// The AMQP properties the fleet puts on every message (DESIGN.md: Messages).
    var amqpProperties: AMQPProperties {
        var headers: AMQPTable = headers.mapValues { .string($0) }
        if let attempt = self.headers["x-ombud-attempt"], let n = Int64(attempt) { headers["x-ombud-attempt"] = .int(n) }
        if !bcc.isEmpty { headers["BCC"] = .array(bcc.map { .string($0) }) }
        var properties = AMQPProperties()
        properties.contentType = "application/json"
        properties.messageId = messageId
        properties.correlationId = correlationId
        properties.persistent = true
        properties.headers = headers
        return properties
    }
}
