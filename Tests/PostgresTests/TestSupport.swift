import Foundation
import Postgres

let databaseURL = ProcessInfo.processInfo.environment["OMBUD_DATABASE_URL"] ?? "postgresql://ombud@127.0.0.1:5442/ombud"

func connect() throws -> PostgresConnection {
    try PostgresConnection(databaseURL, applicationName: "ombud-postgres-tests")
}

/// A name no parallel test (or other engineer) uses, for schemas, tables and channels.
func uniqueName(_ prefix: String) -> String {
    prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
}

let posix = Locale(identifier: "en_US_POSIX")

func decimal(_ text: String) -> Decimal {
    Decimal(string: text, locale: posix)!
}

/// A schema shared by several connections of one test; dropped by `drop()`.
struct TestSchema {
    let name = uniqueName("pgtest")

    init(_ connection: PostgresConnection) throws {
        try connection.query("CREATE SCHEMA \(name)")
    }

    func drop(_ connection: PostgresConnection) {
        _ = try? connection.query("DROP SCHEMA IF EXISTS \(name) CASCADE")
    }
}

/// Runs blocking work on its own OS thread, so a query that waits on a lock does not hold one of
/// the few Swift concurrency threads the (parallel) test run needs.
final class BackgroundWork<Value>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private var outcome: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread {
            self.outcome = Result { try work() }
            self.finished.signal()
        }
    }

    /// nil if the work did not finish within `timeout` seconds.
    func wait(timeout: Double) -> Result<Value, any Error>? {
        guard finished.wait(timeout: .now() + timeout) == .success else { return nil }
        return outcome
    }
}

/// Polls until `condition` holds or `timeout` seconds pass.
func eventually(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return try condition()
}
