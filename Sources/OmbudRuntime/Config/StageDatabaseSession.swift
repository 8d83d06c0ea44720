import Postgres

/// What a stage's database connection adds to the configured URL, so a lane can neither hang on a statement or a
/// lock nor sit on a dead TCP connection: `statement_timeout` and `lock_timeout` (from the worker's options; a timed
/// out statement is a transient failure, retried through the tiers), and TCP keepalives and a connect timeout, which a
/// `keepalives…=` or `connect_timeout=` in the URL overrides.
public enum StageDatabaseSession {
    /// libpq's keepalives: probe after 30 s idle, every 10 s, give up after 3 unanswered (about a minute in all).
    public static let connectionDefaults: [String: String] = [
        "keepalives": "1", "keepalives_idle": "30", "keepalives_interval": "10", "keepalives_count": "3",
        "connect_timeout": "10",
    ]

    /// The defaults of `--statement-timeout` and `--lock-timeout`.
    public static let defaultStatementTimeout = Timeout(milliseconds: 30_000)
    public static let defaultLockTimeout = Timeout(milliseconds: 10_000)

    public static func options(statementTimeout: Timeout = defaultStatementTimeout,
                               lockTimeout: Timeout = defaultLockTimeout) -> PostgresSessionOptions {
        PostgresSessionOptions(defaults: connectionDefaults,
                               settings: ["statement_timeout": String(statementTimeout.milliseconds),
                                          "lock_timeout": String(lockTimeout.milliseconds)])
    }
}
