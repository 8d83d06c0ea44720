/// A parsed `amqp://` / `amqps://` URI (RabbitMQ URI spec).
///
/// Query parameters understood:
/// - `heartbeat=N` seconds (default 30, 0 disables)
/// - `connection_timeout=N` milliseconds, like the RabbitMQ URI spec (default 5000)
/// - `verify=false` (or `verify_none`) disables TLS peer and hostname
///   verification. Only for test setups with self-signed certificates.
/// - `cacertfile=PATH` CA bundle used to verify the broker certificate.
/// Other parameters (e.g. `channel_max`) are accepted and ignored.
public struct AMQPURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var vhost: String
    public var user: String
    public var password: String
    /// `amqps://`: TLS with peer and hostname verification on by default.
    public var tls: Bool
    public var verifyPeer: Bool
    public var caCertPath: String?
    /// Seconds; 0 disables heartbeats.
    public var heartbeat: Int
    /// Seconds (the URL carries milliseconds).
    public var connectTimeout: Double

    public init(
        host: String = "localhost", port: Int? = nil, vhost: String = "/",
        user: String = "guest", password: String = "guest", tls: Bool = false,
        verifyPeer: Bool = true, caCertPath: String? = nil, heartbeat: Int = 30,
        connectTimeout: Double = 5
    ) {
        self.host = host
        self.port = port ?? (tls ? 5671 : 5672)
        self.vhost = vhost
        self.user = user
        self.password = password
        self.tls = tls
        self.verifyPeer = verifyPeer
        self.caCertPath = caCertPath
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
    }

    public init(_ string: String) throws {
        func invalid(_ why: String) -> AMQPError {
            AMQPError(kind: .invalidURL, message: "invalid AMQP URL (\(why))")
        }
        guard let schemeEnd = string.range(of: "://") else {
            throw invalid("expected amqp://host or amqps://host")
        }
        let tls: Bool
        switch string[..<schemeEnd.lowerBound].lowercased() {
        case "amqp": tls = false
        case "amqps": tls = true
        default: throw invalid("scheme must be amqp or amqps")
        }
        var rest = Substring(string[schemeEnd.upperBound...])

        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        if rest.contains("#") { throw invalid("fragments are not allowed") }

        var authority = rest
        var path: Substring?
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }

        var user = "guest"
        var password = "guest"
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.percentDecode(userInfo[..<colon], invalid)
                password = try Self.percentDecode(userInfo[userInfo.index(after: colon)...], invalid)
            } else {
                user = try Self.percentDecode(userInfo, invalid)
                password = ""
            }
        }

        var host: Substring
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw invalid("unterminated IPv6 address") }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = hostPort
        }
        let decodedHost = try Self.percentDecode(host, invalid)

        var port = tls ? 5671 : 5672
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw invalid("port '\(portText)' is not a number in 1...65535")
            }
            port = p
        }

        var vhost = "/"
        if let path, !path.isEmpty {
            // The vhost is a single path segment; a literal "/" must be sent as %2f.
            guard !path.contains("/") else { throw invalid("vhost must be one path segment; encode '/' as %2f") }
            vhost = try Self.percentDecode(path, invalid)
        }

        self.init(
            host: decodedHost.isEmpty ? "localhost" : decodedHost, port: port, vhost: vhost,
            user: user, password: password, tls: tls)

        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let key: Substring
            let rawValue: Substring
            if let eq = pair.firstIndex(of: "=") {
                key = pair[..<eq]
                rawValue = pair[pair.index(after: eq)...]
            } else {
                key = pair
                rawValue = ""
            }
            let value = try Self.percentDecode(rawValue, invalid)
            switch key {
            case "heartbeat":
                guard let n = Int(value), n >= 0, n <= 65535 else { throw invalid("heartbeat must be 0...65535 seconds") }
                heartbeat = n
            case "connection_timeout":
                guard let ms = Double(value), ms > 0, ms.isFinite else { throw invalid("connection_timeout must be a positive number of milliseconds") }
                connectTimeout = ms / 1000
            case "verify":
                switch value.lowercased() {
                case "false", "0", "no", "verify_none": verifyPeer = false
                case "true", "1", "yes", "verify_peer": verifyPeer = true
                default: throw invalid("verify must be true or false")
                }
            case "cacertfile":
                guard !value.isEmpty else { throw invalid("cacertfile is empty") }
                caCertPath = value
            default:
                continue
            }
        }
    }

    /// The URL with the password replaced by `***`, safe for logs.
    public var redacted: String {
        var text = tls ? "amqps://" : "amqp://"
        text += Self.percentEncode(user) + ":***@"
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)/" + Self.percentEncode(vhost)
        return text
    }

    private static func percentDecode(_ text: Substring, _ invalid: (String) -> AMQPError) throws -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let hi = iterator.next().flatMap(hexValue), let lo = iterator.next().flatMap(hexValue) else {
                throw invalid("bad percent-encoding in '\(text)'")
            }
            bytes.append(hi << 4 | lo)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw invalid("percent-encoding in '\(text)' is not UTF-8")
        }
        return decoded
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
