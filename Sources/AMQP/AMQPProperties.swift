import CRabbitMQ
import struct Foundation.Date

/// Basic content properties of a message.
public struct AMQPProperties: Sendable, Equatable {
    public var contentType: String?
    public var contentEncoding: String?
    public var messageId: String?
    public var correlationId: String?
    /// delivery_mode 2 when true (survives broker restarts on durable queues).
    public var persistent: Bool
    public var headers: AMQPTable
    /// Whole seconds on the wire; sub-second precision is dropped.
    public var timestamp: Date?
    public var type: String?
    public var replyTo: String?
    /// Per-message TTL in milliseconds, as a string (AMQP 0-9-1 rule).
    public var expiration: String?
    public var priority: UInt8?
    public var appId: String?
    public var userId: String?

    public init(
        contentType: String? = nil, contentEncoding: String? = nil, messageId: String? = nil,
        correlationId: String? = nil, persistent: Bool = false, headers: AMQPTable = [:],
        timestamp: Date? = nil, type: String? = nil, replyTo: String? = nil, expiration: String? = nil,
        priority: UInt8? = nil, appId: String? = nil, userId: String? = nil
    ) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.messageId = messageId
        self.correlationId = correlationId
        self.persistent = persistent
        self.headers = headers
        self.timestamp = timestamp
        self.type = type
        self.replyTo = replyTo
        self.expiration = expiration
        self.priority = priority
        self.appId = appId
        self.userId = userId
    }
}

/// A message delivered to an `AMQPConsumer`. The body is a copy owned by Swift.
public struct AMQPDelivery: Sendable {
    public var deliveryTag: UInt64
    public var exchange: String
    public var routingKey: String
    public var redelivered: Bool
    public var properties: AMQPProperties
    public var body: [UInt8]

    public init(
        deliveryTag: UInt64, exchange: String, routingKey: String, redelivered: Bool,
        properties: AMQPProperties, body: [UInt8]
    ) {
        self.deliveryTag = deliveryTag
        self.exchange = exchange
        self.routingKey = routingKey
        self.redelivered = redelivered
        self.properties = properties
        self.body = body
    }
}

/// A mandatory publish the broker could not route (basic.return).
public struct AMQPReturnedMessage: Sendable {
    public var replyCode: UInt16
    public var replyText: String
    public var exchange: String
    public var routingKey: String
    public var properties: AMQPProperties
    public var body: [UInt8]

    public init(
        replyCode: UInt16, replyText: String, exchange: String, routingKey: String,
        properties: AMQPProperties, body: [UInt8]
    ) {
        self.replyCode = replyCode
        self.replyText = replyText
        self.exchange = exchange
        self.routingKey = routingKey
        self.properties = properties
        self.body = body
    }
}

// MARK: - C conversion

enum BasicFlag {
    static let contentType: UInt32 = 1 << 15
    static let contentEncoding: UInt32 = 1 << 14
    static let headers: UInt32 = 1 << 13
    static let deliveryMode: UInt32 = 1 << 12
    static let priority: UInt32 = 1 << 11
    static let correlationId: UInt32 = 1 << 10
    static let replyTo: UInt32 = 1 << 9
    static let expiration: UInt32 = 1 << 8
    static let messageId: UInt32 = 1 << 7
    static let timestamp: UInt32 = 1 << 6
    static let type: UInt32 = 1 << 5
    static let userId: UInt32 = 1 << 4
    static let appId: UInt32 = 1 << 3
}

extension AMQPProperties {
    /// Builds the C struct; strings and tables live in `arena`.
    func cProperties(_ arena: CArena) -> amqp_basic_properties_t {
        var c = amqp_basic_properties_t()
        var flags: UInt32 = 0
        if let contentType {
            flags |= BasicFlag.contentType
            c.content_type = arena.bytes(contentType)
        }
        if let contentEncoding {
            flags |= BasicFlag.contentEncoding
            c.content_encoding = arena.bytes(contentEncoding)
        }
        if !headers.isEmpty {
            flags |= BasicFlag.headers
            c.headers = arena.table(headers)
        }
        if persistent {
            flags |= BasicFlag.deliveryMode
            c.delivery_mode = 2
        }
        if let priority {
            flags |= BasicFlag.priority
            c.priority = priority
        }
        if let correlationId {
            flags |= BasicFlag.correlationId
            c.correlation_id = arena.bytes(correlationId)
        }
        if let replyTo {
            flags |= BasicFlag.replyTo
            c.reply_to = arena.bytes(replyTo)
        }
        if let expiration {
            flags |= BasicFlag.expiration
            c.expiration = arena.bytes(expiration)
        }
        if let messageId {
            flags |= BasicFlag.messageId
            c.message_id = arena.bytes(messageId)
        }
        if let timestamp {
            flags |= BasicFlag.timestamp
            c.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970.rounded(.down)))
        }
        if let type {
            flags |= BasicFlag.type
            c.type = arena.bytes(type)
        }
        if let userId {
            flags |= BasicFlag.userId
            c.user_id = arena.bytes(userId)
        }
        if let appId {
            flags |= BasicFlag.appId
            c.app_id = arena.bytes(appId)
        }
        c._flags = flags
        return c
    }

    init(_ c: amqp_basic_properties_t) {
        let flags = c._flags
        self.init()
        guard flags != 0 else { return }
        func string(_ flag: UInt32, _ bytes: amqp_bytes_t) -> String? {
            flags & flag != 0 ? String(amqpBytes: bytes) : nil
        }
        contentType = string(BasicFlag.contentType, c.content_type)
        contentEncoding = string(BasicFlag.contentEncoding, c.content_encoding)
        if flags & BasicFlag.headers != 0 { headers = AMQPValue.decodeTable(c.headers) }
        persistent = flags & BasicFlag.deliveryMode != 0 && c.delivery_mode == 2
        if flags & BasicFlag.priority != 0 { priority = c.priority }
        correlationId = string(BasicFlag.correlationId, c.correlation_id)
        replyTo = string(BasicFlag.replyTo, c.reply_to)
        expiration = string(BasicFlag.expiration, c.expiration)
        messageId = string(BasicFlag.messageId, c.message_id)
        if flags & BasicFlag.timestamp != 0 { timestamp = Date(timeIntervalSince1970: Double(c.timestamp)) }
        type = string(BasicFlag.type, c.type)
        userId = string(BasicFlag.userId, c.user_id)
        appId = string(BasicFlag.appId, c.app_id)
    }
}
