#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The addresses allowed to set the identity headers: exact addresses or CIDR ranges, IPv4 and IPv6
/// (`127.0.0.1`, `::1`, `10.0.0.0/8`, `fd00::/8`). An IPv4-mapped IPv6 peer (`::ffff:10.1.2.3`) matches as IPv4.
public struct TrustedProxies: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        var bytes: [UInt8]
        var prefix: Int
    }

    var ranges: [Range]

    public static let loopback = try! TrustedProxies(["127.0.0.0/8", "::1"])

    /// Throws `description` of the first entry that is not an address or range.
    public init(_ entries: [String]) throws(TrustedProxyError) {
        ranges = try entries.map { entry throws(TrustedProxyError) in
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = TrustedProxies.parse(parts.first ?? "") else { throw TrustedProxyError(entry: entry) }
            let bits = bytes.count * 8
            guard let prefix = parts.count == 2 ? Int(parts[1]) : bits, (0...bits).contains(prefix) else {
                throw TrustedProxyError(entry: entry)
            }
            return Range(bytes: bytes, prefix: prefix)
        }
    }

    public func contains(_ address: String) -> Bool {
        guard let bytes = TrustedProxies.parse(address) else { return false }
        return ranges.contains { range in
            guard range.bytes.count == bytes.count else { return false }
            var remaining = range.prefix
            for i in 0..<bytes.count where remaining > 0 {
                let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
                if bytes[i] & mask != range.bytes[i] & mask { return false }
                remaining -= 8
            }
            return true
        }
    }

    /// 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; nil when not an address.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}

public struct TrustedProxyError: Error, Equatable, CustomStringConvertible {
    public var entry: String
    public var description: String { "\(entry) is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, ::1)" }
}
