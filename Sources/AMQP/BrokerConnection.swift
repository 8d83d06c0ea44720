import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

/// Connection tuning and identification.
public struct AMQPConnectionOptions: Sendable {
    /// Sent as client property `connection_name` (shown by rabbitmqctl / management UI).
    public var name: String
    /// Upper bound for each synchronous broker RPC (declare, bind, close, ...).
    public var rpcTimeout: Double
    /// Extra client properties, merged over the defaults.
    public var clientProperties: AMQPTable

    public init(name: String, rpcTimeout: Double = 30, clientProperties: AMQPTable = [:]) {
        self.name = name
        self.rpcTimeout = rpcTimeout
        self.clientProperties = clientProperties
    }
}

/// AMQP 0-9-1 method ids (the C macros are casts, which Swift does not import).
enum Method {
    static let connectionClose: UInt32 = 0x000A_0032
    static let connectionCloseOk: UInt32 = 0x000A_0033
    static let connectionBlocked: UInt32 = 0x000A_003C
    static let connectionUnblocked: UInt32 = 0x000A_003D
    static let channelClose: UInt32 = 0x0014_0028
    static let channelCloseOk: UInt32 = 0x0014_0029
    static let basicCancel: UInt32 = 0x003C_001E
    static let basicReturn: UInt32 = 0x003C_0032
    static let basicDeliver: UInt32 = 0x003C_003C
    static let basicAck: UInt32 = 0x003C_0050
    static let basicNack: UInt32 = 0x003C_0078
}

enum FrameType {
    static let method: UInt8 = 1
    static let header: UInt8 = 2
    static let body: UInt8 = 3
    static let heartbeat: UInt8 = 8
}

/// SIGPIPE would kill the process when writing to a socket the broker closed
/// (OpenSSL writes do not use MSG_NOSIGNAL). Ignored once, on first connection.
private let ignoreSIGPIPE: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()

/// Seconds on a monotonic clock.
@inline(__always)
func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

@inline(__always)
func makeTimeval(_ seconds: Double) -> timeval {
    let s = max(0, seconds)
    let whole = Int(s)
    return timeval(tv_sec: whole, tv_usec: Int((s - Double(whole)) * 1e6))
}

/// Library status codes that mean the socket / connection is gone.
func isConnectionLevelStatus(_ status: Int32) -> Bool {
    switch amqp_status_enum(rawValue: status) {
    case AMQP_STATUS_CONNECTION_CLOSED, AMQP_STATUS_SOCKET_ERROR, AMQP_STATUS_SOCKET_CLOSED,
        AMQP_STATUS_HEARTBEAT_TIMEOUT, AMQP_STATUS_TCP_ERROR, AMQP_STATUS_SSL_ERROR,
        AMQP_STATUS_SSL_CONNECTION_FAILED:
        return true
    default:
        return false
    }
}

func statusText(_ status: Int32) -> String {
    String(cString: amqp_error_string2(status))
}

/// One librabbitmq-c connection: socket, login, RPC reply checking and close
/// handshakes. Shared by `AMQPConnection`, `AMQPConsumer` and `AMQPPublisher`.
/// Not thread-safe: one thread at a time.
final class BrokerConnection {
    let state: amqp_connection_state_t
    let url: AMQPURL
    /// False once the connection is closed or known broken; no further IO is attempted.
    private(set) var isOpen = false
    private var destroyed = false

    static let systemCABundle = "/etc/ssl/certs/ca-certificates.crt"

    init(url: AMQPURL, options: AMQPConnectionOptions) throws {
        _ = ignoreSIGPIPE
        guard let state = amqp_new_connection() else {
            throw AMQPError(kind: .library, message: "amqp_new_connection failed (out of memory)")
        }
        self.state = state
        self.url = url
        do {
            try open(options: options)
            isOpen = true
        } catch {
            destroy()
            throw error
        }
    }

    deinit {
        close()
    }

    private func open(options: AMQPConnectionOptions) throws {
        let target = "\(url.host):\(url.port)"
        let socket: OpaquePointer?
        if url.tls {
            socket = amqp_ssl_socket_new(state)
            guard let socket else {
                throw AMQPError(kind: .library, message: "could not create TLS socket for \(target)")
            }
            // librabbitmq-c 0.11 does not load the system trust store by itself; without
            // ?cacertfile= fall back to the distribution bundle so verification can succeed.
            var caCertPath = url.caCertPath
            if caCertPath == nil, url.verifyPeer, access(Self.systemCABundle, R_OK) == 0 {
                caCertPath = Self.systemCABundle
            }
            if let caCertPath {
                let status = amqp_ssl_socket_set_cacert(socket, caCertPath)
                guard status == AMQP_STATUS_OK.rawValue else {
                    throw AMQPError(
                        kind: .connectionFailed,
                        message: "could not load CA certificate \(caCertPath): \(statusText(status))")
                }
            }
            amqp_ssl_socket_set_verify_peer(socket, url.verifyPeer ? 1 : 0)
            amqp_ssl_socket_set_verify_hostname(socket, url.verifyPeer ? 1 : 0)
        } else {
            socket = amqp_tcp_socket_new(state)
            guard socket != nil else {
                throw AMQPError(kind: .library, message: "could not create TCP socket for \(target)")
            }
        }

        var connectTimeout = makeTimeval(url.connectTimeout)
        let status = amqp_socket_open_noblock(socket, url.host, Int32(url.port), &connectTimeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(
                kind: .connectionFailed, message: "could not connect to \(target): \(statusText(status))",
                isConnectionLost: true)
        }

        var handshakeTimeout = makeTimeval(url.connectTimeout)
        var rpcTimeout = makeTimeval(options.rpcTimeout)
        for status in [amqp_set_handshake_timeout(state, &handshakeTimeout), amqp_set_rpc_timeout(state, &rpcTimeout)]
        where status != AMQP_STATUS_OK.rawValue {
            throw AMQPError(kind: .library, message: "could not set timeouts: \(statusText(status))")
        }

        let arena = CArena()
        var properties: AMQPTable = [
            "product": "AMQP (Swift over librabbitmq-c)",
            "capabilities": .table([
                "consumer_cancel_notify": true,
                "connection.blocked": true,
                "publisher_confirms": true,
                "basic.nack": true,
                "authentication_failure_close": true,
            ]),
        ]
        properties.merge(options.clientProperties) { _, new in new }
        properties["connection_name"] = .string(options.name)
        var table = arena.table(properties)
        let reply = crabbitmq_login_plain(
            state, url.vhost, 0, 131_072, Int32(url.heartbeat), &table, url.user, url.password)
        if reply.reply_type != AMQP_RESPONSE_NORMAL {
            // Mark open so the close handshake in check() can run, then report as a connect failure.
            isOpen = true
            do {
                try check(reply, channel: 0, context: "login to \(url.redacted)")
            } catch var error as AMQPError {
                isOpen = false
                // Refused logins (403) and unknown vhosts (530) will not heal by retrying at once,
                // but network-level failures will.
                error.message = "could not log in to \(url.redacted): " + error.message
                if error.replyCode == nil {
                    error.isConnectionLost = true
                } else {
                    error.isConnectionLost = false
                }
                error.kind = .connectionFailed
                throw error
            }
        }
    }

    // MARK: Errors

    /// Marks the connection broken and builds the error for a library status.
    func lost(_ status: Int32, _ context: String) -> AMQPError {
        isOpen = false
        let kind: AMQPError.Kind
        switch amqp_status_enum(rawValue: status) {
        case AMQP_STATUS_TIMEOUT: kind = .timeout
        case AMQP_STATUS_UNEXPECTED_STATE, AMQP_STATUS_BAD_AMQP_DATA, AMQP_STATUS_UNKNOWN_CLASS,
            AMQP_STATUS_UNKNOWN_METHOD, AMQP_STATUS_WRONG_METHOD:
            kind = .protocolError
        default: kind = isConnectionLevelStatus(status) ? .connectionClosed : .library
        }
        return AMQPError(kind: kind, message: "\(context): \(statusText(status))", isConnectionLost: true)
    }

    func closedError(_ context: String) -> AMQPError {
        AMQPError(kind: .connectionClosed, message: "\(context): connection is closed", isConnectionLost: true)
    }

    /// Throws for a non-OK status int from a send-only call.
    @inline(__always)
    func check(status: Int32, _ context: @autoclosure () -> String) throws {
        if status != AMQP_STATUS_OK.rawValue { throw lost(status, context()) }
    }

    /// Turns an RPC reply into an error. Broker closes are answered with
    /// close-ok. After a channel close the caller must reopen `channel`.
    func check(_ reply: amqp_rpc_reply_t, channel: UInt16, context: @autoclosure () -> String) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            // An RPC that failed halfway leaves the frame stream unusable.
            throw lost(reply.library_error, context())
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            throw handleServerClose(methodID: reply.reply.id, decoded: reply.reply.decoded, channel: channel, context: context())
        default:
            isOpen = false
            throw AMQPError(kind: .protocolError, message: "\(context()): no RPC reply", isConnectionLost: true)
        }
    }

    /// Answers a connection.close / channel.close from the broker and returns the error to throw.
    func handleServerClose(methodID: UInt32, decoded: UnsafeMutableRawPointer?, channel: UInt16, context: String) -> AMQPError {
        switch methodID {
        case Method.connectionClose:
            var code: UInt16 = 0
            var text = ""
            if let close = decoded?.assumingMemoryBound(to: amqp_connection_close_t.self).pointee {
                code = close.reply_code
                text = String(amqpBytes: close.reply_text)
            }
            var ok = amqp_connection_close_ok_t(dummy: 0)
            _ = amqp_send_method(state, 0, Method.connectionCloseOk, &ok)
            isOpen = false
            return AMQPError(
                kind: .connectionClosed, message: "\(context): connection closed by broker",
                replyCode: code, replyText: text, isConnectionLost: true)
        case Method.channelClose:
            var code: UInt16 = 0
            var text = ""
            if let close = decoded?.assumingMemoryBound(to: amqp_channel_close_t.self).pointee {
                code = close.reply_code
                text = String(amqpBytes: close.reply_text)
            }
            var ok = amqp_channel_close_ok_t(dummy: 0)
            let status = amqp_send_method(state, channel, Method.channelCloseOk, &ok)
            if status != AMQP_STATUS_OK.rawValue { return lost(status, context) }
            return AMQPError(
                kind: .channelClosed, message: "\(context): channel \(channel) closed by broker",
                replyCode: code, replyText: text)
        default:
            isOpen = false
            return AMQPError(
                kind: .protocolError,
                message: "\(context): unexpected method 0x\(String(methodID, radix: 16)) from broker",
                isConnectionLost: true)
        }
    }

    // MARK: Channels

    func openChannel(_ channel: UInt16) throws {
        guard isOpen else { throw closedError("channel.open") }
        amqp_channel_open(state, channel)
        try check(amqp_get_rpc_reply(state), channel: channel, context: "channel.open")
    }

    /// Waits for the next frame up to `timeout` seconds. Returns nil on timeout.
    /// Heartbeats are sent and checked by the library inside this call.
    func waitFrame(timeout: Double, _ context: @autoclosure () -> String) throws -> amqp_frame_t? {
        guard isOpen else { throw closedError(context()) }
        var frame = amqp_frame_t()
        var tv = makeTimeval(timeout)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &tv)
        if status == AMQP_STATUS_OK.rawValue { return frame }
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        throw lost(status, context())
    }

    /// Releases library buffers once nothing references them (call between frames).
    @inline(__always)
    func releaseBuffers() {
        amqp_maybe_release_buffers(state)
    }

    // MARK: Closing

    /// Polite close (connection.close / close-ok), then frees the state. Idempotent.
    func close() {
        if isOpen {
            isOpen = false
            _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        }
        destroy()
    }

    /// Drops the socket without the close handshake (used when the peer is gone). Idempotent.
    func abort() {
        isOpen = false
        destroy()
    }

    private func destroy() {
        guard !destroyed else { return }
        destroyed = true
        _ = amqp_destroy_connection(state)
    }
}
