/// Every failure surfaced by this module.
///
/// `isConnectionLost` is the one flag callers need for recovery: when it is
/// true the connection object is unusable and must be rebuilt (socket error,
/// connection.close from the broker, heartbeat timeout, RPC timeout).
/// A `.channelClosed` error on an `AMQPConnection` is recoverable in place:
/// the next call reopens channel 1.
public struct AMQPError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        case invalidURL
        case connectionFailed
        case connectionClosed
        case channelClosed
        case timeout
        case publishNacked
        case returned
        case protocolError
        case library
    }

    public var kind: Kind
    /// Broker close reply code, e.g. 404, 406, 320.
    public var replyCode: UInt16?
    public var replyText: String?
    public var message: String
    public var isConnectionLost: Bool
    /// Unroutable mandatory publishes reported by `AMQPPublisher.waitForConfirms`.
    public var returned: [AMQPReturnedMessage]
    /// Publish sequence numbers the broker nacked (`.publishNacked`).
    public var nackedSequenceNumbers: [UInt64]

    public init(
        kind: Kind,
        message: String,
        replyCode: UInt16? = nil,
        replyText: String? = nil,
        isConnectionLost: Bool = false,
        returned: [AMQPReturnedMessage] = [],
        nackedSequenceNumbers: [UInt64] = []
    ) {
        self.kind = kind
        self.message = message
        self.replyCode = replyCode
        self.replyText = replyText
        self.isConnectionLost = isConnectionLost
        self.returned = returned
        self.nackedSequenceNumbers = nackedSequenceNumbers
    }

    public var description: String {
        var text = "AMQPError.\(kind): \(message)"
        if let replyCode {
            text += " [\(replyCode)\(replyText.map { " \($0)" } ?? "")]"
        }
        if isConnectionLost { text += " (connection lost)" }
        return text
    }
}
