import Logging
import Postgres

/// One step of the pipeline. A stage consumes messages from its queue and, for each, does its
/// database work and returns the messages it wants published. The runtime owns everything else:
/// batching, the transaction, receipts, publishing with confirms, acks, retries and parking.
///
/// A handler must not publish or ack by itself and must not keep state between messages outside
/// the database: a batch can be rolled back and run again, so the handler runs again too.
public protocol Stage: Sendable {
    /// The stage's name, e.g. `classify`; with the topology prefix it names the queue (`ombud.classify`).
    var name: String { get }
    /// Handles one message inside the batch transaction, within a savepoint of its own.
    /// Throw `StageFailure.permanent` for bad input (the message is parked with the reason) and
    /// `StageFailure.transient` for something worth retrying later (it goes through the retry tiers).
    func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult

    /// Handles a whole batch at once, so a stage can use set-based SQL (one statement for the batch
    /// instead of round trips per message). It must mean exactly what calling `handle(_:in:)` for each
    /// message in order means, and return one result per message. It runs inside the batch transaction;
    /// if it throws, the transaction is rolled back and the batch re-run one message at a time through
    /// `handle(_:in:)`, each in a savepoint — so the per-message handler stays the reference.
    func handle(batch messages: [StageMessage], in context: StageContext) throws -> [StageResult]
}

extension Stage {
    public func handle(batch messages: [StageMessage], in context: StageContext) throws -> [StageResult] {
        try messages.map { try handle($0, in: context.withCaseId($0.correlationId)) }
    }
}

/// What a handler sees of a delivery.
public struct StageMessage: Sendable {
    public var messageId: String
    public var correlationId: String?
    public var routingKey: String
    public var body: [UInt8]
    public var headers: [String: String]
    /// How many times the runtime has retried this message already (`x-ombud-attempt`).
    public var attempt: Int
    public var redelivered: Bool

    public init(messageId: String, correlationId: String? = nil, routingKey: String, body: [UInt8],
                headers: [String: String] = [:], attempt: Int = 0, redelivered: Bool = false) {
        self.messageId = messageId
        self.correlationId = correlationId
        self.routingKey = routingKey
        self.body = body
        self.headers = headers
        self.attempt = attempt
        self.redelivered = redelivered
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What a handler returns: the messages to publish once the batch has committed, and the case it
/// was about (for logs, receipts and the case timeline).
public struct StageResult: Sendable {
    public var outputs: [OutboundMessage]
    public var caseId: String?

    public init(outputs: [OutboundMessage] = [], caseId: String? = nil) {
        self.outputs = outputs
        self.caseId = caseId
    }
}

/// The lane's resources lent to a handler for one message.
public struct StageContext {
    /// Inside the batch transaction and this message's savepoint.
    public let database: PostgresConnection
    public let logger: Logger
    public let lane: Int
    public let names: TopologyNames

    /// The same context with the case id in the logger's metadata.
    public func withCaseId(_ caseId: String?) -> StageContext {
        guard let caseId else { return self }
        var logger = logger
        logger[metadataKey: "case_id"] = .string(caseId)
        return StageContext(database: database, logger: logger, lane: lane, names: names)
    }
}

/// Errors a handler throws on purpose. Any other error is classified by `FailureKind.of(_:)`.
public enum StageFailure: Error, CustomStringConvertible, Sendable {
    /// Bad input or a refusal: retrying cannot help. The message is parked with this reason.
    case permanent(String)
    /// Worth trying again later (a dependency is down, a lock timed out).
    case transient(String)

    public var description: String {
        switch self {
        case .permanent(let reason): return "permanent: \(reason)"
        case .transient(let reason): return "transient: \(reason)"
        }
    }
}
