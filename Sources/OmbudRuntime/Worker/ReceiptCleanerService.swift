import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Prunes processed receipts past their retention, once an `interval` (River's job cleaner, for receipts). Every worker
/// runs one; the pruner's advisory lock lets one process prune while the others skip their turn. A pass runs on a
/// thread of its own with its own connection (libpq blocks), and stops between block ranges on shutdown.
public struct ReceiptCleanerService: Service {
    public let databaseURL: String
    public let retention: ReceiptRetention
    public let interval: Duration
    /// Before the first pass, so fleet processes started together do not all try at once.
    public let firstDelay: Duration
    public let logger: Logger

    public init(databaseURL: String, retention: ReceiptRetention, interval: Duration = .seconds(3_600),
                firstDelay: Duration = .seconds(Int.random(in: 60...300)), logger: Logger) {
        self.databaseURL = databaseURL
        self.retention = retention
        self.interval = interval
        self.firstDelay = firstDelay
        self.logger = logger
    }

    public func run() async throws {
        guard retention.seconds != nil else { return }
        let stop = StopFlag()
        do {
            try await withGracefulShutdownHandler {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: firstDelay) }
                while !stop.isSet {
                    await runPass(stop: stop)
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                }
            } onGracefulShutdown: {
                stop.set()
            }
        } catch is CancellationError {
            // Shutting down while waiting for the next pass.
        }
    }

    /// One pass on a thread of its own; a failure is logged and the next interval tries again.
    func runPass(stop: StopFlag) async {
        let (databaseURL, retention, logger) = (self.databaseURL, self.retention, self.logger)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                defer { continuation.resume() }
                guard let cutoff = retention.cutoff(now: Date()) else { return }
                do {
                    let database = try PostgresConnection(databaseURL, applicationName: "ombud-receipt-cleaner")
                    defer { database.close() }
                    let started = Date()
                    guard let pass = try ReceiptPruner(database: database).prune(olderThan: cutoff, shouldStop: { stop.isSet }) else {
                        logger.debug("receipt pruning skipped: another process is pruning")
                        return
                    }
                    logger.info("pruned stage receipts", metadata: [
                        "deleted": .stringConvertible(pass.deleted), "blocks": .stringConvertible(pass.blocks),
                        "retention": .string(retention.description), "interrupted": .stringConvertible(pass.interrupted),
                        "seconds": .string(String(format: "%.2f", Date().timeIntervalSince(started)))])
                } catch {
                    logger.warning("receipt pruning failed; the next pass tries again", metadata: ["error": .string("\(error)")])
                }
            }
            thread.name = "ombud-receipt-cleaner"
            thread.start()
        }
    }
}

/// A stop request shared between the async service and its pass thread.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
