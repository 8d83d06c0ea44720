/// A message a stage wants published after its batch commits. Recorded in the stage receipt as
/// JSON, so a redelivered message re-publishes exactly what was emitted the first time.
public struct OutboundMessage: Sendable, Codable, Equatable {
    public var exchange: String
    public var routingKey: String
    /// Deterministic (derived from case, stage and ticket) so the next stage can dedupe.
    public var messageId: String
    public var correlationId: String?
    /// UTF-8 JSON text.
    public var body: String
    public var headers: [String: String]
    /// Extra routing keys (RabbitMQ's `BCC` header): used to route a retried message back to its queue.
    public var bcc: [String]

    public init(exchange: String, routingKey: String, messageId: String, correlationId: String? = nil,
                body: String, headers: [String: String] = [:], bcc: [String] = []) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.messageId = messageId
        self.correlationId = correlationId
        self.body = body
        self.headers = headers
        self.bcc = bcc
    }
}
