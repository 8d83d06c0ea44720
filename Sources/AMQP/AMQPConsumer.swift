import CRabbitMQ

/// A consumer on its own connection (channel 1, basic.qos + basic.consume).
///
/// Heartbeats are serviced inside `next(timeout:)`, so poll it at least every
/// heartbeat interval. Closing the consumer (or losing its connection)
/// returns every unacked delivery to the queue.
///
/// If the broker cancels the consumer (queue deleted, `consumer_cancel_notify`)
/// or closes its channel, `next` throws `.channelClosed` and the consumer
/// closes itself; later calls throw `.connectionClosed` with `isConnectionLost`.
///
/// Not thread-safe: use from one thread at a time (`@unchecked Sendable` only
/// so that a dedicated thread can own it).
public final class AMQPConsumer: @unchecked Sendable {
    private let connection: BrokerConnection
    private let channel: UInt16 = 1
    public let queue: String
    /// The server-assigned consumer tag.
    public private(set) var consumerTag: String = ""

    public init(url: AMQPURL, options: AMQPConnectionOptions, queue: String, prefetch: UInt16, exclusive: Bool = false) throws {
        self.queue = queue
        connection = try BrokerConnection(url: url, options: options)
        do {
            try connection.openChannel(channel)
            amqp_basic_qos(connection.state, channel, 0, prefetch, 0)
            try connection.check(amqp_get_rpc_reply(connection.state), channel: channel, context: "basic.qos")
            let arena = CArena()
            let ok = amqp_basic_consume(
                connection.state, channel, arena.bytes(queue), amqp_bytes_t(len: 0, bytes: nil), 0, 0,
                exclusive ? 1 : 0, amqp_table_t(num_entries: 0, entries: nil))
            try connection.check(amqp_get_rpc_reply(connection.state), channel: channel, context: "basic.consume \(queue)")
            if let ok { consumerTag = String(amqpBytes: ok.pointee.consumer_tag) }
        } catch {
            connection.close()
            throw error
        }
    }

    deinit { close() }

    public var isOpen: Bool { connection.isOpen }

    /// Returns the next delivery, or nil when none arrives within `timeout` seconds.
    public func next(timeout: Double) throws -> AMQPDelivery? {
        let deadline = monotonicNow() + timeout
        let state = connection.state
        while true {
            guard connection.isOpen else { throw connection.closedError("next delivery from \(queue)") }
            connection.releaseBuffers()
            var envelope = amqp_envelope_t()
            var tv = makeTimeval(deadline - monotonicNow())
            let reply = amqp_consume_message(state, &envelope, &tv, 0)
            switch reply.reply_type {
            case AMQP_RESPONSE_NORMAL:
                let delivery = AMQPDelivery(
                    deliveryTag: envelope.delivery_tag,
                    exchange: String(amqpBytes: envelope.exchange),
                    routingKey: String(amqpBytes: envelope.routing_key),
                    redelivered: envelope.redelivered != 0,
                    properties: AMQPProperties(envelope.message.properties),
                    body: [UInt8](amqpBytes: envelope.message.body))
                amqp_destroy_envelope(&envelope)
                return delivery
            case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_TIMEOUT.rawValue:
                return nil
            case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue:
                // Something other than basic.deliver is queued; take it off and handle it.
                var frame = amqp_frame_t()
                try connection.check(status: amqp_simple_wait_frame(state, &frame), "next delivery from \(queue)")
                try handle(frame)
                if monotonicNow() >= deadline { return nil }
            default:
                do {
                    try connection.check(reply, channel: channel, context: "next delivery from \(queue)")
                } catch let error as AMQPError {
                    connection.abort()
                    throw error
                }
                // A non-normal reply that check() accepted cannot happen; treat as broken.
                connection.abort()
                throw AMQPError(kind: .protocolError, message: "consume: unexpected reply", isConnectionLost: true)
            }
        }
    }

    private func handle(_ frame: amqp_frame_t) throws {
        guard frame.frame_type == FrameType.method else { return }  // stray content frames: ignore
        let id = frame.payload.method.id
        switch id {
        case Method.connectionClose, Method.channelClose:
            let error = connection.handleServerClose(
                methodID: id, decoded: frame.payload.method.decoded, channel: frame.channel,
                context: "consumer on \(queue)")
            connection.close()
            throw error
        case Method.basicCancel:
            connection.close()
            throw AMQPError(
                kind: .channelClosed, message: "consumer on \(queue) was cancelled by the broker (queue deleted?)",
                replyText: "basic.cancel")
        default:
            return  // connection.blocked/unblocked and the like do not concern a consumer
        }
    }

    public func ack(_ deliveryTag: UInt64, multiple: Bool = false) throws {
        guard connection.isOpen else { throw connection.closedError("basic.ack") }
        try connection.check(status: amqp_basic_ack(connection.state, channel, deliveryTag, multiple ? 1 : 0), "basic.ack")
    }

    public func nack(_ deliveryTag: UInt64, multiple: Bool = false, requeue: Bool) throws {
        guard connection.isOpen else { throw connection.closedError("basic.nack") }
        try connection.check(
            status: amqp_basic_nack(connection.state, channel, deliveryTag, multiple ? 1 : 0, requeue ? 1 : 0),
            "basic.nack")
    }

    public func reject(_ deliveryTag: UInt64, requeue: Bool) throws {
        guard connection.isOpen else { throw connection.closedError("basic.reject") }
        try connection.check(status: amqp_basic_reject(connection.state, channel, deliveryTag, requeue ? 1 : 0), "basic.reject")
    }

    /// Closes the connection; unacked deliveries go back to the queue. Idempotent.
    public func close() { connection.close() }
}
