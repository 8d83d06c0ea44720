import Logging
import ServiceLifecycle

/// The lanes as a `Service`: runs until graceful shutdown (or until the group is cancelled because another service
/// failed, e.g. the HTTP port could not be bound), then lets every lane finish its batch.
public struct WorkerService: Service {
    public let pool: LanePool

    public init(pool: LanePool) { self.pool = pool }

    public func run() async throws {
        pool.start()
        await withTaskCancellationOrGracefulShutdownHandler {
            await pool.wait()
        } onCancelOrGracefulShutdown: {
            pool.stop()
        }
    }
}
