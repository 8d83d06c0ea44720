import AMQP
import Foundation
import Logging
@testable import OmbudRuntime
import OmbudTestSupport
import Postgres
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on 0.0.0.0 and a port the kernel picked: a port another process cannot serve on.
final class PortHolder {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 1) == 0 else { throw TestSetupError("cannot listen on a free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// A port nothing listens on (for a moment): a holder's, closed.
    static func freePort() throws -> Int {
        let holder = try PortHolder()
        holder.close()
        return holder.port
    }

    func close() { Glibc.close(fd) }
    deinit { Glibc.close(fd) }
}

/// Runs an executable to the end (killed after `timeout` seconds); its exit status and what it printed.
func runToEnd(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
              timeout: Double = 20) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = try TestEnvironment.executable(executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
}

/// Reports what its lane's database connection is set to, in the arrival it records; a body with `"lock"` first
/// takes the run's advisory lock (which the test may hold).
struct SessionProbeStage: Stage {
    let name: String
    let run: String

    func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult {
        let db = context.database
        if message.bodyText.contains("\"lock\"") {
            try db.query("SELECT pg_advisory_xact_lock(hashtext($1))", [.text(run)])
        }
        let statement = try db.query("SHOW statement_timeout")[0].decode(String.self, column: 0)
        let lock = try db.query("SHOW lock_timeout")[0].decode(String.self, column: 0)
        let p = db.connectionParameters()
        let report = "\(message.messageId) attempt=\(message.attempt) statement_timeout=\(statement) lock_timeout=\(lock) "
            + "keepalives=\(p["keepalives"] ?? "-")/\(p["keepalives_idle"] ?? "-")/\(p["keepalives_interval"] ?? "-")/\(p["keepalives_count"] ?? "-")"
        try db.query("INSERT INTO ombud_bench.arrivals (run, message_id) VALUES ($1, $2)", [.text(run), .text(report)])
        return StageResult()
    }
}

@Suite("Worker lifecycle", .serialized)
struct LifecycleTests {
    func reports(_ fixture: RuntimeFixture) throws -> [String] {
        try fixture.database.query("SELECT message_id FROM ombud_bench.arrivals WHERE run = $1 ORDER BY arrived_at",
                                   [.text(fixture.names.prefix)]).map { try $0.decode(String.self, column: 0) }
    }

    @Test("a worker whose HTTP port is taken exits promptly with a non-zero status and says why")
    func takenPortEndsTheWorker() throws {
        let fixture = try RuntimeFixture(stages: ["only"])
        let holder = try PortHolder()
        let started = Date()
        let worker = try WorkerProcess(fixture: fixture, httpPort: holder.port)
        let status = worker.waitForExit(timeout: 20)
        let elapsed = Date().timeIntervalSince(started)
        #expect(status != nil && status != 0, "exit status \(String(describing: status)):\n\(worker.log)")
        #expect(elapsed < 10, "took \(elapsed) s")
        #expect(worker.log.contains("cannot serve /metrics, /healthz and /readyz on port \(holder.port)"), "\(worker.log)")
    }

    @Test("SIGTERM while a batch cannot finish: the worker exits non-zero once --shutdown-timeout has passed")
    func shutdownTimeoutEndsAHangingDrain() throws {
        let fixture = try RuntimeFixture(stages: ["stuck"])
        let worker = try WorkerProcess(fixture: fixture, arguments: ["--shutdown-timeout", "2s", "--lock-timeout", "off",
                                                                     "--statement-timeout", "off"])
        #expect(fixture.waitUntil(timeout: 30) { worker.log.contains("lane starting") }, "\(worker.log)")
        // Hold the receipt the lane is about to write: its INSERT waits for this transaction, and no timeout ends the wait.
        let blocker = try PostgresConnection(TestEnvironment.databaseURL, applicationName: "\(fixture.names.prefix)-blocker")
        defer { _ = try? blocker.query("ROLLBACK"); blocker.close() }
        try blocker.query("BEGIN")
        try blocker.query("INSERT INTO ombud.stage_receipts (stage, message_id, outcome) VALUES ($1, 'm0', 'processed')",
                          [.text(fixture.names.queue(stage: "stuck"))])
        try fixture.publish(count: 1)
        #expect(try fixture.waitUntil(timeout: 30) {
            try fixture.database.query("""
                SELECT count(*) FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND application_name LIKE 'ombud-passthrough-stuck-lane%' AND query LIKE '%stage_receipts%'
                """)[0].decode(Int.self, column: 0) > 0
        }, "the lane never blocked:\n\(worker.log)")

        worker.kill(SIGTERM)
        let signalled = Date()
        let status = worker.waitForExit(timeout: 20)
        let elapsed = Date().timeIntervalSince(signalled)
        #expect(status != nil && status != 0, "exit status \(String(describing: status)):\n\(worker.log)")
        #expect(elapsed >= 1.5 && elapsed < 8, "exited after \(elapsed) s")
        #expect(worker.log.contains("shutdown did not finish within the shutdown timeout"), "\(worker.log)")
    }

    @Test("a lane's database connection has statement_timeout, lock_timeout and TCP keepalives; the URL's own keepalives win")
    func laneConnectionsHaveTimeoutsAndKeepalives() throws {
        let fixture = try RuntimeFixture(stages: ["probe"])
        try fixture.publish(count: 1)
        do {
            let pool = fixture.startPool([SessionProbeStage(name: "probe", run: fixture.names.prefix)])
            defer { pool.stop(); pool.waitBlocking() }
            #expect(try fixture.waitUntil(timeout: 30) { try reports(fixture).count == 1 })
        }
        #expect(try reports(fixture) == ["m0 attempt=0 statement_timeout=30s lock_timeout=10s keepalives=1/30/10/3"])

        // The worker's options, and a URL that sets its own keepalives_idle.
        let config = try WorkerOptions.parse(["--statement-timeout", "45s", "--lock-timeout", "2s"]).resolve(environment: [:])
        var settings = fixture.settings()
        settings.databaseURL = TestEnvironment.databaseURL + (TestEnvironment.databaseURL.contains("?") ? "&" : "?") + "keepalives_idle=77"
        settings.databaseSession = config.stageDatabaseSession
        try fixture.publish(count: 1, idPrefix: "url")
        let pool = LanePool(stages: [SessionProbeStage(name: "probe", run: fixture.names.prefix)], settings: settings, logger: Logger(label: "test"))
        pool.start()
        defer { pool.stop(); pool.waitBlocking() }
        #expect(try fixture.waitUntil(timeout: 30) { try reports(fixture).count == 2 })
        #expect(try reports(fixture).last == "url0 attempt=0 statement_timeout=45s lock_timeout=2s keepalives=1/77/10/3")
    }

    @Test("a stage statement waiting on a lock fails with lock_timeout and the message is retried, instead of the lane hanging")
    func aBlockedStatementTimesOut() throws {
        let fixture = try RuntimeFixture(stages: ["probe"])
        let holder = try PostgresConnection(TestEnvironment.databaseURL, applicationName: "\(fixture.names.prefix)-holder")
        defer { holder.close() }
        try holder.query("SELECT pg_advisory_lock(hashtext($1))", [.text(fixture.names.prefix)])
        var settings = fixture.settings()
        settings.databaseSession = StageDatabaseSession.options(statementTimeout: Timeout(milliseconds: 30_000),
                                                                lockTimeout: Timeout(milliseconds: 300))
        let pool = LanePool(stages: [SessionProbeStage(name: "probe", run: fixture.names.prefix)], settings: settings, logger: Logger(label: "test"))
        pool.start()
        defer { pool.stop(); pool.waitBlocking() }
        try fixture.publish(count: 1, body: { _ in #"{"lock":true}"# })
        // While the lock is held the lane is not stuck on it: no lane backend keeps waiting for the advisory lock.
        Thread.sleep(forTimeInterval: 2.5)
        let waiting = try fixture.database.query("""
            SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name LIKE $1 AND state = 'active'
              AND now() - query_start > interval '1 second'
            """, [.text(fixture.names.prefix + "-probe-lane%")])[0].decode(Int.self, column: 0)
        #expect(waiting == 0)
        #expect(try reports(fixture).isEmpty)
        _ = try holder.query("SELECT pg_advisory_unlock(hashtext($1))", [.text(fixture.names.prefix)])
        #expect(try fixture.waitUntil(timeout: 60) { try reports(fixture).count == 1 })
        let report = try #require(try reports(fixture).first)
        #expect(!report.contains("attempt=0"), "it must have failed on the lock and come back through a retry tier: \(report)")
    }

    @Test("healthcheck: 0 against a ready worker (/readyz, and /healthz with --liveness), 1 with a reason on a closed port")
    func healthcheckSubcommand() throws {
        let fixture = try RuntimeFixture(stages: ["only"])
        let port = try PortHolder.freePort()
        let worker = try WorkerProcess(fixture: fixture, httpPort: port)
        defer { worker.kill(SIGKILL) }
        var ready: (status: Int32, output: String) = (-1, "")
        for _ in 0..<100 {
            ready = try runToEnd("ombud-passthrough", ["healthcheck", "--http-port", "\(port)"])
            if ready.status == 0 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(ready.status == 0, "\(ready.output)\n\(worker.log)")
        #expect(ready.output.contains("/readyz"))
        let live = try runToEnd("ombud-passthrough", ["healthcheck", "--liveness"], environment: ["OMBUD_HTTP_PORT": "\(port)"])
        #expect(live.status == 0, "\(live.output)")
        #expect(live.output.contains("/healthz"))

        let closed = try PortHolder.freePort()
        let refused = try runToEnd("ombud-passthrough", ["healthcheck", "--http-port", "\(closed)"])
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.hasPrefix("unhealthy: nothing answers on 127.0.0.1:\(closed)"), "\(refused.output)")
        #expect(refused.output.split(separator: "\n").count == 1)
    }

    @Test("the worker command still runs with its options and --help, next to its healthcheck subcommand")
    func workerCommandLine() throws {
        let help = try runToEnd("ombud-passthrough", ["--help"])
        #expect(help.status == 0)
        for option in ["--lanes", "--shutdown-timeout", "--statement-timeout", "--lock-timeout", "healthcheck"] {
            #expect(help.output.contains(option), "\(option) missing from:\n\(help.output)")
        }
        let subcommandHelp = try runToEnd("ombud-passthrough", ["healthcheck", "--help"])
        #expect(subcommandHelp.status == 0 && subcommandHelp.output.contains("--liveness"), "\(subcommandHelp.output)")
        let bad = try runToEnd("ombud-passthrough", ["--shutdown-timeout", "soon"])
        #expect(bad.status != 0 && bad.output.contains("OMBUD_SHUTDOWN_TIMEOUT"), "\(bad.output)")
    }
}

@Suite("Worker lifecycle (no I/O)")
struct LifecycleUnitTests {
    @Test func timeoutsDefaultAndParse() throws {
        let defaults = try WorkerOptions.parse([]).resolve(environment: [:])
        #expect(defaults.shutdownTimeout == Timeout(milliseconds: 25_000))
        #expect(defaults.statementTimeout == Timeout(milliseconds: 30_000))
        #expect(defaults.lockTimeout == Timeout(milliseconds: 10_000))
        let fromEnvironment = try WorkerOptions.parse([]).resolve(environment: [
            "OMBUD_SHUTDOWN_TIMEOUT": "40s", "OMBUD_STATEMENT_TIMEOUT": "off", "OMBUD_LOCK_TIMEOUT": "1500ms"])
        #expect(fromEnvironment.shutdownTimeout.seconds == 40)
        #expect(fromEnvironment.statementTimeout.isOff)
        #expect(fromEnvironment.lockTimeout.milliseconds == 1_500)
        #expect(try WorkerOptions.parse(["--shutdown-timeout", "1m"]).resolve(environment: ["OMBUD_SHUTDOWN_TIMEOUT": "40s"]).shutdownTimeout.seconds == 60)
        #expect(throws: (any Error).self) { try WorkerOptions.parse([]).resolve(environment: ["OMBUD_SHUTDOWN_TIMEOUT": "off"]) }
        #expect(throws: (any Error).self) { try WorkerOptions.parse([]).resolve(environment: ["OMBUD_LOCK_TIMEOUT": "10 seconds"]) }
        #expect(Timeout(milliseconds: 90_000).description == "90s")
        #expect(try Timeout(parsing: "2m", allowOff: false).description == "2m")
    }

    @Test func stageSessionsKeepAliveUnlessTheURLSaysOtherwise() {
        let session = StageDatabaseSession.options(statementTimeout: Timeout(milliseconds: 30_000), lockTimeout: .off)
        #expect(session.settings == ["statement_timeout": "30000", "lock_timeout": "0"])
        #expect(session.defaults["keepalives"] == "1")
        #expect(session.defaults["keepalives_idle"] == "30")
    }

    @Test func healthProbeReadsTheStatusLine() {
        #expect(HealthProbe.outcome(of: Array("HTTP/1.1 200 OK\r\n\r\nready\n".utf8), path: "/readyz", port: 1) == .healthy)
        #expect(HealthProbe.outcome(of: Array("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 28\r\n\r\nnot ready: lanes connecting\n".utf8),
                                    path: "/readyz", port: 1) == .unhealthy("/readyz answered 503: not ready: lanes connecting"))
        #expect(HealthProbe.outcome(of: [], path: "/healthz", port: 9) == .unhealthy("no answer from 127.0.0.1:9/healthz"))
        #expect(HealthProbe.outcome(of: Array("SSH-2.0\r\n".utf8), path: "/healthz", port: 9) == .unhealthy("not an HTTP answer from 127.0.0.1:9/healthz"))
    }
}
