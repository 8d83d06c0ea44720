import CRabbitMQ

/// A publisher on its own connection, channel 1 in confirm mode (confirm.select).
///
/// `publish` returns the publish sequence number; `waitForConfirms` blocks
/// until the broker has confirmed every publish so far. If the broker closes
/// the channel (e.g. 404 publishing to a missing exchange), the outstanding
/// publishes are reported as failed by throwing `.channelClosed`, the next
/// publish reopens the channel and sequence numbers restart at 1.
///
/// Not thread-safe: use from one thread at a time (`@unchecked Sendable` only
/// so that a dedicated thread can own it).
public final class AMQPPublisher: @unchecked Sendable {
    private let connection: BrokerConnection
    private let channel: UInt16 = 1
    private var channelOpen = false
    private var tracker = PublisherConfirmTracker()
    private var returnedMessages: [AMQPReturnedMessage] = []
    /// A channel close seen while reading frames, reported by the next wait.
    private var pendingChannelError: AMQPError?
    private let arena = CArena()
    private var publishesSinceDrain = 0
    /// Acks are read opportunistically every this many publishes, so they never pile up in socket buffers.
    private let drainInterval = 64

    /// True while the broker has blocked this connection (connection.blocked,
    /// e.g. memory or disk alarm). Publishes will stall until it unblocks.
    public private(set) var isBlocked = false

    public init(url: AMQPURL, options: AMQPConnectionOptions) throws {
        connection = try BrokerConnection(url: url, options: options)
        do {
            try openChannel()
        } catch {
            connection.close()
            throw error
        }
    }

    deinit { close() }

    public var isOpen: Bool { connection.isOpen }

    public var outstandingConfirms: Int { tracker.outstanding }

    private func openChannel() throws {
        try connection.openChannel(channel)
        amqp_confirm_select(connection.state, channel)
        try connection.check(amqp_get_rpc_reply(connection.state), channel: channel, context: "confirm.select")
        tracker.reset()
        channelOpen = true
    }

    @discardableResult
    public func publish(
        exchange: String, routingKey: String, body: [UInt8], properties: AMQPProperties = .init(),
        mandatory: Bool = false
    ) throws -> UInt64 {
        guard connection.isOpen else { throw connection.closedError("basic.publish") }
        if let error = pendingChannelError {
            // Report the failed earlier publishes before starting a new sequence.
            pendingChannelError = nil
            returnedMessages.removeAll()
            throw error
        }
        if !channelOpen { try openChannel() }
        var cProperties = properties.cProperties(arena)
        defer { arena.reset() }
        var exchange = exchange
        var routingKey = routingKey
        let status = exchange.withUTF8 { exchangeBytes in
            routingKey.withUTF8 { keyBytes in
                body.withUnsafeBytes { bodyBytes in
                    amqp_basic_publish(
                        connection.state, channel,
                        amqp_bytes_t(len: exchangeBytes.count, bytes: UnsafeMutableRawPointer(mutating: exchangeBytes.baseAddress)),
                        amqp_bytes_t(len: keyBytes.count, bytes: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)),
                        mandatory ? 1 : 0, 0, &cProperties,
                        amqp_bytes_t(len: bodyBytes.count, bytes: UnsafeMutableRawPointer(mutating: bodyBytes.baseAddress)))
                }
            }
        }
        try connection.check(status: status, "basic.publish to \(exchange)")
        let sequenceNumber = tracker.recordPublish()
        publishesSinceDrain += 1
        if publishesSinceDrain >= drainInterval {
            publishesSinceDrain = 0
            try drainAvailableFrames()
        }
        return sequenceNumber
    }

    /// Blocks until every publish so far is confirmed.
    ///
    /// Throws `.publishNacked` (with `nackedSequenceNumbers`) if any were
    /// nacked, `.returned` (with `returned`) if a mandatory publish was
    /// unroutable, `.timeout` after `timeout` seconds (the outstanding
    /// publishes stay tracked; call again to keep waiting). Nacks and returns
    /// are reported once.
    public func waitForConfirms(timeout: Double) throws {
        let deadline = monotonicNow() + timeout
        while tracker.outstanding > 0 && pendingChannelError == nil {
            let remaining = deadline - monotonicNow()
            guard remaining > 0 else {
                throw AMQPError(
                    kind: .timeout,
                    message: "\(tracker.outstanding) publish(es) unconfirmed after \(timeout)s")
            }
            connection.releaseBuffers()
            guard let frame = try connection.waitFrame(timeout: remaining, "waiting for publisher confirms") else {
                continue
            }
            try handle(frame)
        }
        try reportFailures()
    }

    /// Services heartbeats on an idle publisher and reads pending acks/returns without blocking.
    public func serviceHeartbeat() throws {
        try drainAvailableFrames()
    }

    public func close() { connection.close() }

    // MARK: Frames

    private func drainAvailableFrames() throws {
        while true {
            connection.releaseBuffers()
            guard let frame = try connection.waitFrame(timeout: 0, "reading publisher confirms") else { return }
            try handle(frame)
        }
    }

    private func reportFailures() throws {
        if let error = pendingChannelError {
            pendingChannelError = nil
            returnedMessages.removeAll()
            throw error
        }
        let nacked = tracker.takeNacked()
        let returned = returnedMessages
        returnedMessages.removeAll()
        if !nacked.isEmpty {
            throw AMQPError(
                kind: .publishNacked, message: "broker nacked \(nacked.count) publish(es)",
                returned: returned, nackedSequenceNumbers: nacked)
        }
        if !returned.isEmpty {
            let first = returned[0]
            throw AMQPError(
                kind: .returned,
                message: "\(returned.count) mandatory publish(es) unroutable (first: exchange '\(first.exchange)', routing key '\(first.routingKey)')",
                replyCode: first.replyCode, replyText: first.replyText, returned: returned)
        }
    }

    private func handle(_ frame: amqp_frame_t) throws {
        guard frame.frame_type == FrameType.method else { return }
        let method = frame.payload.method
        switch method.id {
        case Method.basicAck:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            if !tracker.ack(ack.delivery_tag, multiple: ack.multiple != 0) {
                throw protocolViolation("basic.ack for unknown sequence number \(ack.delivery_tag)")
            }
        case Method.basicNack:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            if !tracker.nack(nack.delivery_tag, multiple: nack.multiple != 0) {
                throw protocolViolation("basic.nack for unknown sequence number \(nack.delivery_tag)")
            }
        case Method.basicReturn:
            // Copy the method fields before reading the content frames that follow it.
            let r = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            var returned = AMQPReturnedMessage(
                replyCode: r.reply_code, replyText: String(amqpBytes: r.reply_text),
                exchange: String(amqpBytes: r.exchange), routingKey: String(amqpBytes: r.routing_key),
                properties: AMQPProperties(), body: [])
            var message = amqp_message_t()
            let reply = amqp_read_message(connection.state, frame.channel, &message, 0)
            try connection.check(reply, channel: channel, context: "reading returned message")
            returned.properties = AMQPProperties(message.properties)
            returned.body = [UInt8](amqpBytes: message.body)
            amqp_destroy_message(&message)
            returnedMessages.append(returned)
        case Method.connectionBlocked:
            isBlocked = true
        case Method.connectionUnblocked:
            isBlocked = false
        case Method.channelClose, Method.connectionClose:
            let error = connection.handleServerClose(
                methodID: method.id, decoded: method.decoded, channel: frame.channel, context: "publisher")
            if error.isConnectionLost { throw error }
            // Outstanding publishes on the dead channel will never be confirmed.
            channelOpen = false
            tracker.reset()
            pendingChannelError = error
        default:
            return
        }
    }

    private func protocolViolation(_ message: String) -> AMQPError {
        connection.close()
        return AMQPError(kind: .protocolError, message: message, isConnectionLost: true)
    }
}
