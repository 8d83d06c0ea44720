import CRabbitMQ

/// One connection plus channel 1, for topology declarations.
///
/// A broker channel error (e.g. 406 PRECONDITION_FAILED on a redeclare with
/// other arguments) is thrown as `.channelClosed` with the reply code; the
/// next call reopens channel 1 transparently. Closing is idempotent; deinit closes.
///
/// Not thread-safe: use from one thread at a time (`@unchecked Sendable` only
/// so that a dedicated thread can own it).
public final class AMQPConnection: @unchecked Sendable {
    private let connection: BrokerConnection
    private let channel: UInt16 = 1
    private var channelOpen = false

    public init(url: AMQPURL, options: AMQPConnectionOptions) throws {
        connection = try BrokerConnection(url: url, options: options)
        try connection.openChannel(channel)
        channelOpen = true
    }

    deinit { close() }

    public var isOpen: Bool { connection.isOpen }

    public func close() { connection.close() }

    public func declareExchange(_ name: String, type: String, durable: Bool = true, arguments: AMQPTable = [:]) throws {
        try rpc("exchange.declare \(name)") { state, arena in
            amqp_exchange_declare(
                state, channel, arena.bytes(name), arena.bytes(type), 0, durable ? 1 : 0, 0, 0,
                arena.table(arguments))
        }
    }

    @discardableResult
    public func declareQueue(
        _ name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
        arguments: AMQPTable = [:]
    ) throws -> (messageCount: UInt32, consumerCount: UInt32) {
        try queueDeclare(name, passive: false, durable: durable, exclusive: exclusive, autoDelete: autoDelete, arguments: arguments)
    }

    /// Counts via a passive declare; a missing queue throws `.channelClosed` 404.
    public func queueCounts(_ name: String) throws -> (messageCount: UInt32, consumerCount: UInt32) {
        try queueDeclare(name, passive: true, durable: false, exclusive: false, autoDelete: false, arguments: [:])
    }

    public func bindQueue(_ queue: String, exchange: String, routingKey: String, arguments: AMQPTable = [:]) throws {
        try rpc("queue.bind \(queue) to \(exchange)") { state, arena in
            amqp_queue_bind(
                state, channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey),
                arena.table(arguments))
        }
    }

    public func unbindQueue(_ queue: String, exchange: String, routingKey: String, arguments: AMQPTable = [:]) throws {
        try rpc("queue.unbind \(queue) from \(exchange)") { state, arena in
            amqp_queue_unbind(
                state, channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey),
                arena.table(arguments))
        }
    }

    public func deleteQueue(_ name: String) throws {
        try rpc("queue.delete \(name)") { state, arena in
            amqp_queue_delete(state, channel, arena.bytes(name), 0, 0)
        }
    }

    public func deleteExchange(_ name: String) throws {
        try rpc("exchange.delete \(name)") { state, arena in
            amqp_exchange_delete(state, channel, arena.bytes(name), 0)
        }
    }

    public func purgeQueue(_ name: String) throws {
        try rpc("queue.purge \(name)") { state, arena in
            amqp_queue_purge(state, channel, arena.bytes(name))
        }
    }

    private func queueDeclare(
        _ name: String, passive: Bool, durable: Bool, exclusive: Bool, autoDelete: Bool, arguments: AMQPTable
    ) throws -> (messageCount: UInt32, consumerCount: UInt32) {
        let ok = try rpc("queue.declare \(name)") { state, arena in
            amqp_queue_declare(
                state, channel, arena.bytes(name), passive ? 1 : 0, durable ? 1 : 0, exclusive ? 1 : 0,
                autoDelete ? 1 : 0, arena.table(arguments))
        }
        guard let ok else {
            throw AMQPError(kind: .protocolError, message: "queue.declare \(name): empty declare-ok")
        }
        return (ok.pointee.message_count, ok.pointee.consumer_count)
    }

    /// Runs one synchronous method on channel 1 and checks the reply.
    @discardableResult
    private func rpc<R>(
        _ context: @autoclosure () -> String,
        _ call: (amqp_connection_state_t, CArena) -> UnsafeMutablePointer<R>?
    ) throws -> UnsafeMutablePointer<R>? {
        guard connection.isOpen else { throw connection.closedError(context()) }
        if !channelOpen {
            try connection.openChannel(channel)
            channelOpen = true
        }
        connection.releaseBuffers()
        let arena = CArena()
        let result = call(connection.state, arena)
        do {
            try connection.check(amqp_get_rpc_reply(connection.state), channel: channel, context: context())
        } catch let error as AMQPError {
            if error.kind == .channelClosed { channelOpen = false }
            throw error
        }
        return result
    }
}
