import AMQP
import Postgres

/// How a lane pool runs: where it connects and how it batches.
public struct LaneSettings: Sendable {
    public var amqpURL: AMQPURL
    public var databaseURL: String
    public var names: TopologyNames
    public var lanes: Int
    /// Deliveries handled per transaction; the consumer's prefetch is twice this.
    public var batchSize: Int
    /// After the first delivery of a batch, wait at most this long for the batch to fill.
    public var batchFillWait: Double
    /// How long an idle lane blocks on the broker before checking for shutdown and servicing heartbeats.
    public var pollInterval: Double
    public var confirmTimeout: Double
    /// A delivery counted this many times by the quorum queue is parked as poison before its handler runs.
    public var poisonDeliveryCount: Int
    public var retry: RetryPolicy
    /// Used in connection names (`ombud-classify-lane-2@host`), so operators see who is connected.
    public var processName: String
    /// Timeouts and keepalives of each lane's database connection (`StageDatabaseSession`).
    public var databaseSession: PostgresSessionOptions

    public init(amqpURL: AMQPURL, databaseURL: String, names: TopologyNames = TopologyNames(), lanes: Int = 1,
                batchSize: Int = 64, batchFillWait: Double = 0.004, pollInterval: Double = 0.1,
                confirmTimeout: Double = 30, poisonDeliveryCount: Int = 4, retry: RetryPolicy = .standard,
                processName: String = "ombud",
                databaseSession: PostgresSessionOptions = StageDatabaseSession.options()) {
        self.amqpURL = amqpURL
        self.databaseURL = databaseURL
        self.names = names
        self.lanes = lanes
        self.batchSize = batchSize
        self.batchFillWait = batchFillWait
        self.pollInterval = pollInterval
        self.confirmTimeout = confirmTimeout
        self.poisonDeliveryCount = poisonDeliveryCount
        self.retry = retry
        self.processName = processName
        self.databaseSession = databaseSession
    }
}
