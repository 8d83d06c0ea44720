import Foundation

/// An inbound ticket, `ombud.ticket.v1`, as a channel publishes it to `ombud.tickets`.
///
/// Decoding is lenient where the contract allows (unknown fields ignored, `schema` and `attachments` may be
/// absent, as in POLICY.md's scenario tickets) and checks types and the schema only; limits, shapes and normalisation are
/// `TicketValidation`'s job, which also reports a precise reason instead of a `DecodingError`.
public struct TicketV1: Codable, Sendable, Equatable {
    public struct Customer: Codable, Sendable, Equatable {
        public var id: String?
        public var email: String?
        /// BCP 47 language tag as the channel knows it (`de-DE`).
        public var locale: String?

        public init(id: String? = nil, email: String? = nil, locale: String? = nil) {
            self.id = id
            self.email = email
            self.locale = locale
        }
    }

    /// Metadata only: attachments travel out of band, the ticket carries what an agent needs to know they exist.
    public struct Attachment: Codable, Sendable, Equatable {
        public var name: String
        public var contentType: String
        /// Bytes.
        public var size: Int

        public init(name: String, contentType: String, size: Int) {
            self.name = name
            self.contentType = contentType
            self.size = size
        }

        enum CodingKeys: String, CodingKey {
            case name
            case contentType = "content_type"
            case size
        }
    }

    public var schema: String
    public var channel: String
    /// The channel's id for this ticket; (channel, external_id) is the dedupe key.
    public var externalId: String
    /// The channel's conversation id; follow-ups with the same thread are threaded onto the open case.
    public var threadId: String?
    public var customer: Customer
    public var subject: String?
    public var body: String
    public var orderRef: String?
    /// The clock of every policy decision about this ticket, so a replay decides the same way.
    public var receivedAt: Date
    public var attachments: [Attachment]

    public init(channel: String, externalId: String, threadId: String? = nil, customer: Customer,
                subject: String? = nil, body: String, orderRef: String? = nil, receivedAt: Date,
                attachments: [Attachment] = [], schema: String = MessageSchema.ticketV1) {
        self.schema = schema
        self.channel = channel
        self.externalId = externalId
        self.threadId = threadId
        self.customer = customer
        self.subject = subject
        self.body = body
        self.orderRef = orderRef
        self.receivedAt = receivedAt
        self.attachments = attachments
    }

    enum CodingKeys: String, CodingKey {
        case schema, channel
        case externalId = "external_id"
        case threadId = "thread_id"
        case customer, subject, body
        case orderRef = "order_ref"
        case receivedAt = "received_at"
        case attachments
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try SchemaCoding.decode(c, .schema, expected: MessageSchema.ticketV1, required: false)
        channel = try c.decode(String.self, forKey: .channel)
        externalId = try c.decode(String.self, forKey: .externalId)
        threadId = try c.decodeIfPresent(String.self, forKey: .threadId)
        customer = try c.decodeIfPresent(Customer.self, forKey: .customer) ?? Customer()
        subject = try c.decodeIfPresent(String.self, forKey: .subject)
        body = try c.decode(String.self, forKey: .body)
        orderRef = try c.decodeIfPresent(String.self, forKey: .orderRef)
        receivedAt = try RFC3339Coding.decode(c, .receivedAt)
        attachments = try c.decodeIfPresent([Attachment].self, forKey: .attachments) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(channel, forKey: .channel)
        try c.encode(externalId, forKey: .externalId)
        try c.encodeIfPresent(threadId, forKey: .threadId)
        try c.encode(customer, forKey: .customer)
        try c.encodeIfPresent(subject, forKey: .subject)
        try c.encode(body, forKey: .body)
        try c.encodeIfPresent(orderRef, forKey: .orderRef)
        try c.encode(RFC3339Timestamp.format(receivedAt), forKey: .receivedAt)
        try c.encode(attachments, forKey: .attachments)
    }
}

/// A message is only decoded as the schema it claims to be: a v2 message routed to a v1 consumer must fail loudly,
/// not be half-understood.
enum SchemaCoding {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K, expected: String,
                                     required: Bool = true) throws -> String {
        guard let schema = required ? try c.decode(String.self, forKey: key)
                                    : try c.decodeIfPresent(String.self, forKey: key) else { return expected }
        guard schema == expected else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "schema is not \(expected)")
        }
        return schema
    }
}

/// Timestamps are RFC 3339 strings on the wire whatever date strategy the coder was configured with.
enum RFC3339Coding {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> Date {
        let text = try c.decode(String.self, forKey: key)
        guard let date = RFC3339Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not an RFC 3339 timestamp")
        }
        return date
    }
}
