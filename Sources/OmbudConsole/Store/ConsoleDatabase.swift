import Dispatch
import Foundation
import Postgres

/// A small pool of blocking libpq connections for the async request handlers: each call runs on a dispatch thread
/// (never on the server's event loops), at most `size` at a time, on a connection nobody else holds.
public final class ConsoleDatabase: @unchecked Sendable {
    public let url: String
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private let slots: DispatchSemaphore
    private let queue = DispatchQueue(label: "ombud-console.database", attributes: .concurrent)

    public init(url: String, size: Int = 4) {
        self.url = url
        slots = DispatchSemaphore(value: max(1, size))
    }

    /// Runs `body` with a connection; a connection that failed at the connection level is closed, not reused.
    public func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                self.slots.wait()
                defer { self.slots.signal() }
                continuation.resume(with: Result { try self.withConnection(body) })
            }
        }
    }

    private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        do {
            let result = try body(connection)
            checkIn(connection)
            return result
        } catch let error as PostgresError where error.category != .connectionLost {
            checkIn(connection)
            throw error
        } catch {
            connection.close()
            throw error
        }
    }

    private func checkOut() throws -> PostgresConnection {
        lock.lock()
        let pooled = idle.popLast()
        lock.unlock()
        return try pooled ?? PostgresConnection(url, applicationName: "ombud-console")
    }

    private func checkIn(_ connection: PostgresConnection) {
        lock.lock()
        idle.append(connection)
        lock.unlock()
    }

    public func close() {
        lock.lock()
        let connections = idle
        idle = []
        lock.unlock()
        connections.forEach { $0.close() }
    }
}
