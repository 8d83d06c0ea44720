import Logging
import ServiceLifecycle

/// The lanes as a `Service`: runs until graceful shutdown, then lets every lane finish its batch.
public struct WorkerService: Service {
    public let pool: LanePool

    public init(pool: LanePool) { self.pool = pool }

    public func run() async throws {
        pool.start()
        await withGracefulShutdownHandler {
            await pool.wait()
        } onGracefulShutdown: {
            pool.stop()
        }
    }
}
