import Foundation
import Logging
import Synchronization

/// The lanes of one worker process: `lanes` threads for each stage it runs.
public final class LanePool: Sendable {
    public let control: LaneControl
    private let lanes: [Lane]
    private let running = Mutex<(count: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))
    private let finished = Mutex<Bool>(false)

    public init(stages: [any Stage], settings: LaneSettings, logger: Logger) {
        let total = stages.count * settings.lanes
        control = LaneControl(lanes: total)
        var lanes: [Lane] = []
        for stage in stages {
            for _ in 0..<settings.lanes {
                lanes.append(Lane(index: lanes.count, stage: stage, settings: settings, control: control, logger: logger))
            }
        }
        self.lanes = lanes
    }

    /// Starts one thread per lane.
    public func start() {
        running.withLock { $0.count = lanes.count }
        for lane in lanes {
            let thread = Thread { [self] in
                lane.run()
                laneFinished()
            }
            thread.name = "ombud-\(lane.stage.name)-lane\(lane.index)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Asks every lane to finish the batch in hand and stop.
    public func stop() { control.requestStop() }

    /// Returns when every lane has stopped.
    public func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = running.withLock { state -> Bool in
                if state.count == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Blocks the calling thread until every lane has stopped (for synchronous callers such as benchmarks).
    public func waitBlocking() {
        while running.withLock({ $0.count }) > 0 { Thread.sleep(forTimeInterval: 0.01) }
    }

    private func laneFinished() {
        let waiters = running.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
