import Postgres

/// The reference stage: forwards each message to the next stage of a chain unchanged; the last
/// stage records the arrival in `ombud_bench.arrivals`. The runtime's tests and `ombudctl bench relay`
/// run five of these to measure and prove the runtime without any domain logic.
public struct PassThroughStage: Stage {
    public let name: String
    /// The next stage's name, or nil for the last stage (which records arrivals).
    public let next: String?
    /// Arrivals are recorded under this run id (the topology prefix), so runs never mix.
    public let run: String
    /// Whether the last stage writes an arrivals row (an effect the tests check for duplicates). The
    /// benchmark turns it off: its hops are measured with the receipts alone, as the raw relay has no effect.
    public let recordsArrivals: Bool

    public init(name: String, next: String?, run: String, recordsArrivals: Bool = true) {
        self.name = name
        self.next = next
        self.run = run
        self.recordsArrivals = recordsArrivals
    }

    /// A chain `stages[0] → stages[1] → … → record`.
    public static func chain(_ stages: [String], run: String, recordsArrivals: Bool = true) -> [PassThroughStage] {
        stages.indices.map { i in
            PassThroughStage(name: stages[i], next: i + 1 < stages.count ? stages[i + 1] : nil, run: run,
                             recordsArrivals: recordsArrivals)
        }
    }

    public func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult {
        guard let next else {
            guard recordsArrivals else { return StageResult() }
            // Deliberately no unique constraint: a duplicate effect would show up as a second row.
            try context.database.query("INSERT INTO ombud_bench.arrivals (run, message_id) VALUES ($1, $2)",
                                       [.text(run), .text(message.messageId)])
            return StageResult()
        }
        return StageResult(outputs: [OutboundMessage(
            exchange: context.names.pipeline, routingKey: context.names.pipelineKey(stage: next),
            messageId: PassThroughStage.hopId(message.messageId, next), correlationId: message.correlationId,
            body: message.bodyText, headers: message.headers.filter { !$0.key.hasPrefix("x-") })])
    }

    /// The same, set-based: the last stage records all of a batch's arrivals with one statement.
    public func handle(batch messages: [StageMessage], in context: StageContext) throws -> [StageResult] {
        guard next == nil else { return try messages.map { try handle($0, in: context) } }
        if recordsArrivals, !messages.isEmpty {
            try context.database.query("INSERT INTO ombud_bench.arrivals (run, message_id) SELECT $1, unnest($2::text[])",
                                       [.text(run), .textArray(messages.map(\.messageId))])
        }
        return messages.map { _ in StageResult() }
    }

    /// The id of a message's copy for the next hop: the original id and the stage, so it stays
    /// deterministic (a re-published copy dedupes downstream) and does not grow hop after hop.
    static func hopId(_ id: String, _ stage: String) -> String {
        let base = id.split(separator: ">", maxSplits: 1).first.map(String.init) ?? id
        return base + ">" + stage
    }

    /// Creates the arrivals table if needed.
    public static func prepare(_ database: PostgresConnection) throws {
        try database.execute(script: """
            CREATE SCHEMA IF NOT EXISTS ombud_bench;
            CREATE TABLE IF NOT EXISTS ombud_bench.arrivals (
                run text NOT NULL, message_id text NOT NULL, arrived_at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE INDEX IF NOT EXISTS arrivals_run ON ombud_bench.arrivals (run);
            """)
    }

    /// How many arrivals a run has, and how many distinct messages they are.
    public static func arrivals(run: String, database: PostgresConnection) throws -> (total: Int, distinct: Int) {
        let row = try database.query("SELECT count(*), count(DISTINCT message_id) FROM ombud_bench.arrivals WHERE run = $1", [.text(run)])[0]
        return (try row.decode(Int.self, column: 0), try row.decode(Int.self, column: 1))
    }
}
