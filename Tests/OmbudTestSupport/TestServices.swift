import Foundation
import OmbudRuntime
import Postgres

/// The real broker and database the integration tests run against (deploy/local/test exports their settings), and
/// the repository the tests run in. Shared by every test target that needs the services.
public enum TestServices {
    public static let amqpURL = ProcessInfo.processInfo.environment["OMBUD_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5682/%2f"
    public static let databaseURL = ProcessInfo.processInfo.environment["OMBUD_DATABASE_URL"]
        ?? "postgresql://ombud@127.0.0.1:5442/ombud"

    /// The directory holding Package.swift.
    public static let repositoryRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    /// Applies `migrations/` once per test process (the migrator's advisory lock makes concurrent runs safe).
    public static func migrate() throws {
        try migrated.get()
    }

    private static let migrated: Result<Void, any Error> = Result {
        let database = try PostgresConnection(databaseURL)
        defer { database.close() }
        try Migrator.load(directory: repositoryRoot.appendingPathComponent("migrations")).migrate(database)
    }
}

/// A test's own failure, with what to do about it.
public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Polls until `condition` holds or `timeout` seconds pass; returns whether it held.
@discardableResult
public func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}

/// Runs the bodies at the same moment, each on a thread of its own (released together once all are started), and
/// returns each one's error, nil for success: for tests of what two lanes racing leave behind.
public func runTogether(_ bodies: [@Sendable () throws -> Void]) -> [(any Error)?] {
    let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
    let errors = Locked<[(any Error)?]>(Array(repeating: nil, count: bodies.count))
    for (index, body) in bodies.enumerated() {
        Thread {
            ready.signal()
            go.wait()
            do { try body() } catch { errors.withLock { $0[index] = error } }
            done.signal()
        }.start()
    }
    for _ in bodies { ready.wait() }
    for _ in bodies { go.signal() }
    for _ in bodies { done.wait() }
    return errors.withLock { $0 }
}

/// A value shared between threads, behind a lock (escaping closures can capture it, unlike a `Mutex`).
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
