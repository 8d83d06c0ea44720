import Foundation
import Logging
import Synchronization

/// The longest a worker may take to stop once it has begun to (`--shutdown-timeout`): past it the worker logs and
/// exits non-zero instead of hanging; the broker redelivers whatever was unacknowledged, and receipts answer it.
public final class ShutdownDeadline: Sendable {
    private let timeout: Timeout
    private let logger: Logger
    private let armed = Atomic<Bool>(false)
    private let exit: @Sendable (Int32) -> Void

    public init(timeout: Timeout, logger: Logger, exit: @escaping @Sendable (Int32) -> Void = { Foundation.exit($0) }) {
        self.timeout = timeout
        self.logger = logger
        self.exit = exit
    }

    /// Starts the clock (once; later calls do nothing).
    public func arm(because reason: String) {
        guard !armed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let timeout = timeout, logger = logger, exit = exit
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout.seconds) {
            logger.error("shutdown did not finish within the shutdown timeout; exiting now, unacknowledged messages will be redelivered",
                         metadata: ["shutdown_timeout": .string(timeout.description), "cause": .string(reason)])
            exit(1)
        }
    }
}
