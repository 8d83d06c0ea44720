import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP GET to this host's worker, on a plain socket: container images without curl (or libcurl, which
/// FoundationNetworking needs) can still ask a worker whether it is alive or ready.
public enum HealthProbe {
    public enum Outcome: Equatable, Sendable {
        case healthy
        case unhealthy(String)
    }

    /// GET `path` on `host` (an IPv4 address, this host's loopback by default):`port`; healthy only on status 200.
    /// Every step is bounded by `timeout` seconds.
    public static func check(host: String = "127.0.0.1", port: Int, path: String, timeout: Double) -> Outcome {
        let ip = inet_addr(host)
        guard ip != in_addr_t.max else { return .unhealthy("'\(host)' is not an IPv4 address") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .unhealthy("cannot open a socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = ip
        // With SO_SNDTIMEO set, a connect on Linux also gives up after that long.
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            return .unhealthy("nothing answers on \(host):\(port): \(String(cString: strerror(errno)))")
        }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            return .unhealthy("could not send the request to \(host):\(port): \(String(cString: strerror(errno)))")
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(timeout)
        while response.count < 65_536, Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { response += buffer[0..<n] } else { break }
            if response.contains(10) && response.count > 12 && statusCode(response) != 200 { break }
        }
        return outcome(of: response, path: path, port: port, host: host)
    }

    /// The status code of an HTTP response's status line (`HTTP/1.1 200 OK`), nil when there is none.
    static func statusCode(_ response: [UInt8]) -> Int? {
        let line = String(decoding: response.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
        return Int(parts[1])
    }

    /// What a response says: healthy on 200, otherwise why not (the status and the first line of the body).
    static func outcome(of response: [UInt8], path: String, port: Int, host: String = "127.0.0.1") -> Outcome {
        guard let status = statusCode(response) else {
            return .unhealthy(response.isEmpty ? "no answer from \(host):\(port)\(path)" : "not an HTTP answer from \(host):\(port)\(path)")
        }
        guard status == 200 else {
            let text = String(decoding: response, as: UTF8.self)
            let body = text.range(of: "\r\n\r\n").map { text[$0.upperBound...] } ?? ""
            let firstLine = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return .unhealthy("\(path) answered \(status)\(firstLine.isEmpty ? "" : ": " + firstLine)")
        }
        return .healthy
    }
}
