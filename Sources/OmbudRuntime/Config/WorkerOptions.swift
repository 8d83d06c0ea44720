import AMQP
import ArgumentParser
import Foundation
import Logging
import Postgres

/// The options every worker executable takes. Each falls back to its environment variable.
public struct WorkerOptions: ParsableArguments, Sendable {
    @Option(help: "Broker URL, amqp:// or amqps:// (env OMBUD_AMQP_URL or OMBUD_AMQP_URL_FILE).")
    public var amqpURL: String?

    @Option(help: "PostgreSQL connection string or URI; sslmode is honoured (env OMBUD_DATABASE_URL or OMBUD_DATABASE_URL_FILE).")
    public var databaseURL: String?

    @Option(help: "Lanes per stage: threads, each with its own broker and database connections (env OMBUD_LANES, default 2).")
    public var lanes: Int?

    @Option(help: "Messages per batch transaction (env OMBUD_BATCH, default 64).")
    public var batch: Int?

    @Option(help: "Milliseconds a lane waits for a batch to fill after its first message (env OMBUD_BATCH_WAIT_MS, default 4).")
    public var batchWait: Int?

    @Option(help: "Port for /metrics, /healthz and /readyz; 0 turns the server off (env OMBUD_HTTP_PORT, default 9400).")
    public var httpPort: Int?

    @Option(help: "Log format: json or text (env OMBUD_LOG_FORMAT, default json).")
    public var logFormat: String?

    @Option(help: "Prefix of every exchange and queue name (env OMBUD_TOPOLOGY_PREFIX, default ombud).")
    public var topologyPrefix: String?

    @Option(help: "Stage queue type: quorum or classic, for brokers without quorum queues (env OMBUD_QUEUE_TYPE, default quorum).")
    public var queueType: String?

    @Option(help: "How long processed receipts are kept: 7d, 36h, 90m, at least 1h, or off (env OMBUD_RECEIPT_RETENTION, default 7d). Parked receipts are kept until replayed.")
    public var receiptRetention: String?

    @Option(help: "Longest a stage's SQL statement may run before it fails and the message is retried: 500ms, 30s, 2m, or off (env OMBUD_STATEMENT_TIMEOUT, default 30s).")
    public var statementTimeout: String?

    @Option(help: "Longest a stage's SQL statement waits for a lock before it fails and the message is retried: 500ms, 10s, or off (env OMBUD_LOCK_TIMEOUT, default 10s).")
    public var lockTimeout: String?

    @Option(help: "Longest a graceful shutdown (SIGTERM: finish the batches in hand) may take before the worker gives up and exits non-zero; the broker redelivers what was unacked. 500ms, 25s, 1m (env OMBUD_SHUTDOWN_TIMEOUT, default 25s; keep it below the orchestrator's grace period).")
    public var shutdownTimeout: String?

    public init() {}

    public struct Resolved: Sendable {
        public var amqpURL: AMQPURL
        public var databaseURL: String
        public var lanes: Int
        public var batch: Int
        public var batchWaitMilliseconds: Int
        public var httpPort: Int
        public var logFormat: LogFormat
        public var names: TopologyNames
        public var queueType: Topology.QueueType
        public var receiptRetention: ReceiptRetention
        public var statementTimeout: Timeout
        public var lockTimeout: Timeout
        public var shutdownTimeout: Timeout

        /// What every stage (lane) database connection adds to the configured URL.
        public var stageDatabaseSession: PostgresSessionOptions {
            StageDatabaseSession.options(statementTimeout: statementTimeout, lockTimeout: lockTimeout)
        }
    }

    /// Flags win over the environment; every value is checked here so a worker fails at start with a
    /// message that says what to fix, not later in a lane.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Resolved {
        func env(_ name: String) -> String? { OmbudEnvironment.value(name, environment: environment) }
        func int(_ flag: Int?, _ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            let text = flag.map(String.init) ?? env(name)
            guard let text else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw ValidationError("\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
            }
            return value
        }
        let urlText = amqpURL ?? env("OMBUD_AMQP_URL") ?? OmbudEnvironment.defaultAMQPURL
        let url: AMQPURL
        do { url = try AMQPURL(urlText) } catch {
            throw ValidationError("OMBUD_AMQP_URL is not a usable broker URL: \(error)")
        }
        let formatText = logFormat ?? env("OMBUD_LOG_FORMAT") ?? "json"
        guard let format = LogFormat(rawValue: formatText) else {
            throw ValidationError("OMBUD_LOG_FORMAT must be json or text, got '\(formatText)'")
        }
        let typeText = queueType ?? env("OMBUD_QUEUE_TYPE") ?? "quorum"
        guard let type = Topology.QueueType(rawValue: typeText) else {
            throw ValidationError("OMBUD_QUEUE_TYPE must be quorum or classic, got '\(typeText)'")
        }
        let retentionText = receiptRetention ?? env("OMBUD_RECEIPT_RETENTION")
        let retention: ReceiptRetention
        do { retention = try retentionText.map(ReceiptRetention.init(parsing:)) ?? .standard } catch {
            throw ValidationError("OMBUD_RECEIPT_RETENTION: \(error)")
        }
        func timeout(_ flag: String?, _ name: String, _ fallback: Timeout, allowOff: Bool) throws -> Timeout {
            guard let text = flag ?? env(name) else { return fallback }
            do { return try Timeout(parsing: text, allowOff: allowOff) } catch { throw ValidationError("\(name) \(error)") }
        }
        return Resolved(
            amqpURL: url,
            databaseURL: databaseURL ?? env("OMBUD_DATABASE_URL") ?? OmbudEnvironment.defaultDatabaseURL,
            lanes: try int(lanes, "OMBUD_LANES", 2, 1...64),
            batch: try int(batch, "OMBUD_BATCH", 64, 1...2048),
            batchWaitMilliseconds: try int(batchWait, "OMBUD_BATCH_WAIT_MS", 4, 0...1000),
            httpPort: try int(httpPort, "OMBUD_HTTP_PORT", 9400, 0...65535),
            logFormat: format,
            names: TopologyNames(prefix: topologyPrefix ?? env("OMBUD_TOPOLOGY_PREFIX") ?? "ombud"),
            queueType: type,
            receiptRetention: retention,
            statementTimeout: try timeout(statementTimeout, "OMBUD_STATEMENT_TIMEOUT", StageDatabaseSession.defaultStatementTimeout,
                                      allowOff: true),
            lockTimeout: try timeout(lockTimeout, "OMBUD_LOCK_TIMEOUT", StageDatabaseSession.defaultLockTimeout, allowOff: true),
            shutdownTimeout: try timeout(shutdownTimeout, "OMBUD_SHUTDOWN_TIMEOUT", Timeout(milliseconds: 25_000), allowOff: false))
    }
}
