import Crypto
import Foundation

/// CSRF protection for every POST: the browser holds a random session id in a SameSite=Strict, HttpOnly cookie; every
/// form carries HMAC-SHA256(secret, agent | session) in a hidden field. A cross-site form has neither the cookie (SameSite)
/// nor a way to compute the token; a token leaked for one agent or session is useless for another.
public struct CSRFProtection: Sendable {
    public static let cookieName = "ombud_session"
    public static let fieldName = "csrf"

    private let key: SymmetricKey

    /// `secret`: shared by every replica behind one load balancer (`OMBUD_CONSOLE_SECRET`); random when nil, which
    /// invalidates open forms on restart.
    public init(secret: String?) {
        if let secret, !secret.isEmpty {
            key = SymmetricKey(data: SHA256.hash(data: Data(secret.utf8)))
        } else {
            key = SymmetricKey(size: .bits256)
        }
    }

    /// A new session id for the cookie: 32 random bytes, hex.
    public static func newSession() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    public func token(agent: String, session: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("csrf|\(agent)|\(session)".utf8), using: key)
        return mac.withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// Whether `token` is the one for this agent and session (constant-time comparison).
    public func isValid(token: String?, agent: String, session: String?) -> Bool {
        guard let token, let session, !session.isEmpty, token.utf8.count == 64 else { return false }
        let expected = Array(self.token(agent: agent, session: session).utf8)
        let given = Array(token.utf8)
        var difference: UInt8 = 0
        for i in 0..<expected.count { difference |= expected[i] ^ given[i] }
        return difference == 0
    }
}
