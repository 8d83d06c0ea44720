import Foundation
import Logging
import Postgres

/// The live queue's feed: one LISTEN connection on `ombud_cases` (migration 0010's triggers send the case id), each
/// notification looked up once for its team and passed to the subscribers who may see that team. Runs on its own
/// thread (libpq blocks) and reconnects after a failure.
public final class CaseEvents: @unchecked Sendable {
    public static let channel = "ombud_cases"

    public struct Change: Sendable, Equatable {
        public var caseId: UUID
        public var team: String?
    }

    private let databaseURL: String
    private let logger: Logger
    private let lock = NSLock()
    private var subscribers: [UUID: (agent: Agent, continuation: AsyncStream<Change>.Continuation)] = [:]
    private var running = false
    private var listening = false

    public init(databaseURL: String, logger: Logger) {
        self.databaseURL = databaseURL
        self.logger = logger
    }

    /// Whether the LISTEN connection is up (for /readyz and the tests).
    public var isListening: Bool { lock.lock(); defer { lock.unlock() }; return listening }

    public func start() {
        lock.lock()
        guard !running else { lock.unlock(); return }
        running = true
        lock.unlock()
        let thread = Thread { [self] in listenLoop() }
        thread.name = "ombud-console-listen"
        thread.start()
    }

    public func stop() {
        lock.lock()
        running = false
        let all = subscribers.values.map(\.continuation)
        subscribers = [:]
        lock.unlock()
        all.forEach { $0.finish() }
    }

    /// The changes this agent may see, until the stream is dropped.
    public func subscribe(agent: Agent) -> AsyncStream<Change> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Change>.makeStream(bufferingPolicy: .bufferingNewest(256))
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            self.lock.lock()
            self.subscribers[id] = nil
            self.lock.unlock()
        }
        lock.lock()
        subscribers[id] = (agent, continuation)
        lock.unlock()
        return stream
    }

    public var subscriberCount: Int { lock.lock(); defer { lock.unlock() }; return subscribers.count }

    private var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return running }

    private func setListening(_ value: Bool) { lock.lock(); listening = value; lock.unlock() }

    private func listenLoop() {
        while isRunning {
            do {
                let connection = try PostgresConnection(databaseURL, applicationName: "ombud-console-listen")
                defer { connection.close(); setListening(false) }
                try connection.listen(Self.channel)
                setListening(true)
                while isRunning {
                    for notification in try connection.waitForNotifications(timeout: 1) {
                        guard let caseId = UUID(uuidString: notification.payload) else { continue }
                        let team = try ConsoleStore.team(of: caseId, in: connection)
                        deliver(Change(caseId: caseId, team: team ?? nil))
                    }
                }
            } catch {
                logger.warning("live queue: LISTEN failed, reconnecting in 2s", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 2)
            }
        }
    }

    private func deliver(_ change: Change) {
        lock.lock()
        let targets = subscribers.values.filter { $0.agent.mayWork(team: change.team) }.map(\.continuation)
        lock.unlock()
        for continuation in targets { continuation.yield(change) }
    }
}
