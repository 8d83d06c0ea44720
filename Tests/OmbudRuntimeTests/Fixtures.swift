import AMQP
import Foundation
import Logging
import OmbudTestSupport
@testable import OmbudRuntime
import Postgres
import Synchronization
import Testing

/// Connection settings for the real broker and database (deploy/local/test exports them).
enum TestEnvironment {
    static let amqpURL = TestServices.amqpURL
    static let databaseURL = TestServices.databaseURL
    static let repositoryRoot = TestServices.repositoryRoot

    /// Migrations, and the pass-through stages' arrivals table, once per test process.
    static let migrated: Result<Void, any Error> = Result {
        try TestServices.migrate()
        let database = try PostgresConnection(databaseURL)
        defer { database.close() }
        try PassThroughStage.prepare(database)
    }

    /// The directory holding the built executables (next to the test bundle).
    static func executable(_ name: String) throws -> URL {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug"))
        for dir in candidates {
            let url = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw TestSetupError("cannot find the \(name) executable near \(candidates.map(\.path))")
    }
}

/// Everything one runtime test needs: a fresh topology prefix (declared, deleted at the end), an admin
/// broker connection and a database connection.
final class RuntimeFixture {
    let url: AMQPURL
    let names: TopologyNames
    let topology: Topology
    let admin: AMQPConnection
    let database: PostgresConnection
    let stages: [String]

    init(stages: [String] = ["s1", "s2", "s3", "s4", "s5"], retry: RetryPolicy = .standard) throws {
        try TestEnvironment.migrated.get()
        url = try AMQPURL(TestEnvironment.amqpURL)
        names = TopologyNames(prefix: "t-" + UUID().uuidString.prefix(8).lowercased())
        var topology = Topology.chain(names: names, stages: stages)
        topology.retry = retry
        self.topology = topology
        self.stages = stages
        admin = try AMQPConnection(url: url, options: .init(name: "test-admin-\(names.prefix)"))
        try topology.declare(on: admin)
        database = try PostgresConnection(TestEnvironment.databaseURL)
    }

    deinit {
        try? topology.delete(on: admin)
        admin.close()
        database.close()
    }

    func settings(lanes: Int = 1, batch: Int = 64) -> LaneSettings {
        LaneSettings(amqpURL: url, databaseURL: TestEnvironment.databaseURL, names: names, lanes: lanes,
                     batchSize: batch, poisonDeliveryCount: topology.deliveryLimit - 1, retry: topology.retry,
                     processName: names.prefix)   // connection names start with the prefix: tests can cut exactly theirs
    }

    /// Publishes `count` messages with ids `m0…` to the first stage (or `stage`), with confirms.
    func publish(count: Int, to stage: String? = nil, body: (Int) -> String = { "{\"n\":\($0)}" }, idPrefix: String = "m") throws {
        let publisher = try AMQPPublisher(url: url, options: .init(name: "test-producer-\(names.prefix)"))
        defer { publisher.close() }
        for i in 0..<count {
            var properties = AMQPProperties()
            properties.messageId = "\(idPrefix)\(i)"
            properties.persistent = true
            try publisher.publish(exchange: names.pipeline, routingKey: names.pipelineKey(stage: stage ?? stages[0]),
                                  body: Array(body(i).utf8), properties: properties)
            if i % 500 == 499 { try publisher.waitForConfirms(timeout: 30) }
        }
        try publisher.waitForConfirms(timeout: 30)
    }

    var arrivals: (total: Int, distinct: Int) { get throws { try PassThroughStage.arrivals(run: names.prefix, database: database) } }

    func receipts(stage: String, outcome: String? = nil) throws -> Int {
        try database.query("SELECT count(*) FROM ombud.stage_receipts WHERE stage = $1 AND ($2::text IS NULL OR outcome = $2)",
                           [.text(names.queue(stage: stage)), outcome.map { .text($0) } ?? .null])[0].decode(Int.self, column: 0)
    }

    func parkedRows(stage: String) throws -> [(messageId: String, reason: String, failure: String)] {
        try database.query("SELECT message_id, reason, failure FROM ombud.parked_messages WHERE stage = $1 ORDER BY message_id",
                           [.text(names.queue(stage: stage))]).map {
            (try $0.decode(String.self, column: 0), try $0.decode(String.self, column: 1), try $0.decode(String.self, column: 2))
        }
    }

    func queueDepth(_ queue: String) throws -> Int { Int(try admin.queueCounts(queue).messageCount) }

    /// Polls until `condition` holds or `timeout` seconds pass; returns whether it held.
    @discardableResult
    func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        try OmbudTestSupport.waitUntil(timeout: timeout, condition)
    }

    /// Terminates this fixture's lanes' database connections (application_name `<prefix>-…`); returns how many.
    @discardableResult
    func terminateDatabaseConnections() throws -> Int {
        try database.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE $1",
                           [.text(names.prefix + "-%")])[0].decode(Int.self, column: 0)
    }

    /// Closes, on the broker side, this fixture's lanes' connections (connection_name `<prefix>-…`); returns how many.
    @discardableResult
    func closeBrokerConnections() throws -> Int {
        let listing = try rabbitmqctl(["list_connections", "pid", "client_properties", "-q", "--no-table-headers"])
        let pids = listing.split(separator: "\n").filter { $0.contains("\"\(names.prefix)-") }.compactMap { $0.split(separator: "\t").first }
        for pid in pids { _ = try rabbitmqctl(["close_connection", String(pid), "test: connection cut on purpose"]) }
        return pids.count
    }

    private func rabbitmqctl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["OMBUD_RABBITMQCTL"]
            ?? TestEnvironment.repositoryRoot.appendingPathComponent("deploy/local/rabbitmqctl").path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts lanes in this process for the given stages; stop with `pool.stop(); pool.waitBlocking()`.
    func startPool(_ stages: [any Stage], lanes: Int = 1, batch: Int = 64) -> LanePool {
        let pool = LanePool(stages: stages, settings: settings(lanes: lanes, batch: batch), logger: Logger(label: "test"))
        pool.start()
        return pool
    }
}

/// A worker process (`ombud-passthrough`) for crash and shutdown tests.
final class WorkerProcess {
    let process = Process()
    /// A file, not a pipe: a pipe nobody reads would fill and block the worker's logging.
    let logURL: URL

    init(fixture: RuntimeFixture, lanes: Int = 1, batch: Int = 64, httpPort: Int = 0, arguments: [String] = []) throws {
        process.executableURL = try TestEnvironment.executable("ombud-passthrough")
        process.arguments = ["--chain", fixture.stages.joined(separator: ","), "--topology-prefix", fixture.names.prefix,
                             "--lanes", "\(lanes)", "--batch", "\(batch)", "--http-port", "\(httpPort)"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMBUD_AMQP_URL"] = TestEnvironment.amqpURL
        environment["OMBUD_DATABASE_URL"] = TestEnvironment.databaseURL
        environment["OMBUD_LOG_FORMAT"] = "json"
        process.environment = environment
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("\(fixture.names.prefix)-\(UUID().uuidString.prefix(4)).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logURL)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    func kill(_ signal: Int32) { Glibc.kill(process.processIdentifier, signal) }

    /// Waits for the process to exit; returns its status, or nil on timeout (the process is then killed).
    func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(SIGKILL); process.waitUntilExit(); return nil }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    deinit { if process.isRunning { kill(SIGKILL); process.waitUntilExit() } }
}
