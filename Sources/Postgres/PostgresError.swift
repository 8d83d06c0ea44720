/// An error reported by the server, by libpq, or while decoding a result.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// The coarse kind of failure, which decides how a caller should react (retry, report, give up).
    public enum Category: Sendable, Hashable {
        /// SQLSTATE 40001: retry the whole transaction.
        case serializationFailure
        /// SQLSTATE 40P01: retry the whole transaction.
        case deadlock
        /// SQLSTATE 23505; `constraint` names the violated constraint.
        case uniqueViolation
        /// Class 08, 57P01-57P03, a failed connection attempt, or a socket that went bad: reconnect.
        case connectionLost
        /// SQLSTATE 57014 (statement timeout, cancel) or 55P03 (lock timeout, NOWAIT).
        case queryCanceled
        /// A result value could not be turned into the requested Swift type.
        case decoding
        /// Anything else (syntax errors, constraint violations other than unique, ...).
        case other

        /// Maps a SQLSTATE code to a category. Pure, so it is unit-tested on its own.
        public init(sqlState: String?) {
            guard let sqlState else {
                self = .other
                return
            }
            switch sqlState {
            case "40001": self = .serializationFailure
            case "40P01": self = .deadlock
            case "23505": self = .uniqueViolation
            case "57P01", "57P02", "57P03": self = .connectionLost
            case "57014", "55P03": self = .queryCanceled
            case _ where sqlState.hasPrefix("08"): self = .connectionLost
            default: self = .other
            }
        }
    }

    public var category: Category
    /// The five-character SQLSTATE, when the server sent one.
    public var sqlState: String?
    /// The primary, human-readable message (never contains the connection password).
    public var message: String
    public var detail: String?
    public var hint: String?
    /// The constraint involved, e.g. for a unique violation.
    public var constraint: String?

    public init(
        _ category: Category,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        constraint: String? = nil
    ) {
        self.category = category
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    /// Whether retrying (the transaction, possibly after reconnecting) may succeed.
    public var isTransient: Bool {
        switch category {
        case .serializationFailure, .deadlock, .connectionLost, .queryCanceled: true
        case .uniqueViolation, .decoding, .other: false
        }
    }

    public var description: String {
        var text = "PostgresError.\(category): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let constraint { text += " [constraint \(constraint)]" }
        if let detail { text += " DETAIL: \(detail)" }
        if let hint { text += " HINT: \(hint)" }
        return text
    }

    static func decoding(_ message: String) -> PostgresError {
        PostgresError(.decoding, message: message)
    }
}
