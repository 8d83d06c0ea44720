import Foundation
import Synchronization

/// Shared between the lane threads and the async world: the stop request and each lane's readiness.
public final class LaneControl: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let ready: Mutex<[Bool]>

    public init(lanes: Int) { ready = Mutex(Array(repeating: false, count: lanes)) }

    public var isStopping: Bool { stopping.load(ordering: .acquiring) }
    public func requestStop() { stopping.store(true, ordering: .releasing) }

    func setReady(lane: Int, _ value: Bool) { ready.withLock { $0[lane] = value } }
    /// Every lane holds live connections (`/readyz`).
    public var allReady: Bool { ready.withLock { !$0.isEmpty && $0.allSatisfy { $0 } } }
    public var readyCount: Int { ready.withLock { $0.filter { $0 }.count } }

    /// Sleeps, waking early when a stop is requested.
    func pause(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while !isStopping, deadline.timeIntervalSinceNow > 0 {
            Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
        }
    }
}
