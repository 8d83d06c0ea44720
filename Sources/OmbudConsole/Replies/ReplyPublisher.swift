import AMQP
import Foundation
import OmbudCore
import OmbudRuntime

/// Publishes agents' replies as `ombud.reply.v1` to the replies exchange and waits for the broker's confirm. One
/// connection, opened on first use and reopened after a failure; calls are serialized (replies are rare).
public final class ReplyPublisher: @unchecked Sendable {
    private let url: String
    private let names: TopologyNames
    private let lock = NSLock()
    private var publisher: AMQPPublisher?

    public init(url: String, names: TopologyNames = TopologyNames()) {
        self.url = url
        self.names = names
    }

    /// The message id of an agent's reply: stable for one submitted form (its nonce), so a form sent twice is one reply.
    public static func messageId(caseId: UUID, nonce: String) -> String {
        "agent-reply:\(MessageIds.canonical(caseId)):\(nonce)"
    }

    /// Publishes and waits for the confirm; throws when the broker did not take it (the caller rolls back).
    public func publish(_ reply: ReplyV1, messageId: String, timeout: Double = 10) throws {
        let body = Array(try MessageCoding.encode(reply))
        lock.lock()
        defer { lock.unlock() }
        do {
            let publisher = try connected()
            try publisher.publish(
                exchange: names.replies, routingKey: reply.routingKey, body: body,
                properties: AMQPProperties(contentType: "application/json", messageId: messageId,
                                           correlationId: MessageIds.canonical(reply.caseId), persistent: true,
                                           type: MessageSchema.replyV1, appId: "ombud-console"),
                mandatory: false)
            try publisher.waitForConfirms(timeout: timeout)
        } catch {
            publisher?.close()
            publisher = nil
            throw error
        }
    }

    private func connected() throws -> AMQPPublisher {
        if let publisher, publisher.isOpen { return publisher }
        let opened = try AMQPPublisher(url: try AMQPURL(url), options: AMQPConnectionOptions(name: "ombud-console replies"))
        publisher = opened
        return opened
    }

    public func close() {
        lock.lock()
        publisher?.close()
        publisher = nil
        lock.unlock()
    }
}
