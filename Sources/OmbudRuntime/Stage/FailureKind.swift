import AMQP
import Postgres

/// How the runtime treats an error thrown while handling a message.
public enum FailureKind: Sendable, Equatable {
    /// Retrying cannot help: park the message and record why.
    case permanent
    /// Retry the message later through the retry tiers.
    case transient
    /// A broker or database connection is gone: the whole batch is abandoned and re-run after
    /// reconnecting (nothing committed, nothing acked, so nothing is lost).
    case connectionLost

    public static func of(_ error: any Error) -> FailureKind {
        switch error {
        case let failure as StageFailure:
            if case .transient = failure { return .transient }
            return .permanent
        case let error as PostgresError:
            if error.category == .connectionLost { return .connectionLost }
            return error.isTransient ? .transient : .permanent
        case let error as AMQPError:
            return error.isConnectionLost ? .connectionLost : .transient
        default:
            // Decoding errors, programming errors surfaced as throws: retrying gives the same answer.
            return .permanent
        }
    }
}
