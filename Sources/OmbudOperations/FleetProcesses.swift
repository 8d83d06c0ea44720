import Foundation
import OmbudCore
#if canImport(Glibc)
import Glibc
#endif

/// The five stage executables as child processes: what `ombudctl bench pipeline` and the fleet tests run.
/// Each process's output goes to its own log file (a pipe nobody reads would fill and block it).
public final class FleetProcesses: @unchecked Sendable {
    public struct Settings: Sendable {
        public var executables: URL
        public var amqpURL: String
        public var databaseURL: String
        public var prefix: String
        public var lanes: [PipelineStage: Int]
        public var batch: Int
        public var logDirectory: URL
        public var policyFile: String?
        /// A stage's own connection string (its least-privilege login), instead of `databaseURL`.
        public var stageDatabaseURLs: [PipelineStage: String]

        public init(executables: URL, amqpURL: String, databaseURL: String, prefix: String,
                    lanes: [PipelineStage: Int] = [:], batch: Int = 64, logDirectory: URL, policyFile: String? = nil,
                    stageDatabaseURLs: [PipelineStage: String] = [:]) {
            self.executables = executables
            self.amqpURL = amqpURL
            self.databaseURL = databaseURL
            self.prefix = prefix
            self.lanes = lanes
            self.batch = batch
            self.logDirectory = logDirectory
            self.policyFile = policyFile
            self.stageDatabaseURLs = stageDatabaseURLs
        }
    }

    public let settings: Settings
    private var processes: [PipelineStage: Process] = [:]
    private var starts: [PipelineStage: Int] = [:]

    public init(_ settings: Settings) {
        self.settings = settings
    }

    /// The directory holding `ombud-intake` and its siblings: next to `binary` (ombudctl, a test bundle), else
    /// the build directories under `root`.
    public static func locateExecutables(near binary: URL, root: URL? = nil) -> URL? {
        var candidates = [binary.deletingLastPathComponent()]
        if let root {
            candidates += [".build/release", ".build/debug"].map { root.appendingPathComponent($0) }
        }
        return candidates.first { dir in
            PipelineStage.allCases.allSatisfy {
                FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("ombud-\($0.rawValue)").path)
            }
        }
    }

    public func startAll() throws {
        for stage in PipelineStage.allCases { try start(stage) }
    }

    /// Starts (or restarts) one stage's process.
    public func start(_ stage: PipelineStage) throws {
        let process = Process()
        process.executableURL = settings.executables.appendingPathComponent("ombud-\(stage.rawValue)")
        process.arguments = ["--topology-prefix", settings.prefix, "--lanes", "\(settings.lanes[stage] ?? 1)",
                             "--batch", "\(settings.batch)", "--http-port", "0"]
            + (settings.policyFile.map { ["--policy", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["OMBUD_AMQP_URL"] = settings.amqpURL
        environment["OMBUD_DATABASE_URL"] = settings.stageDatabaseURLs[stage] ?? settings.databaseURL
        environment["OMBUD_LOG_FORMAT"] = environment["OMBUD_LOG_FORMAT"] ?? "json"
        process.environment = environment
        starts[stage, default: 0] += 1
        let log = logURL(stage)
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes[stage] = process
    }

    public func logURL(_ stage: PipelineStage) -> URL {
        settings.logDirectory.appendingPathComponent("\(settings.prefix)-\(stage.rawValue).log")
    }

    public func pid(_ stage: PipelineStage) -> Int32? { processes[stage]?.processIdentifier }

    public func isRunning(_ stage: PipelineStage) -> Bool { processes[stage]?.isRunning ?? false }

    /// Sends `signal` to the stage's process and, for SIGKILL, waits for it to be gone.
    public func kill(_ stage: PipelineStage, signal: Int32) {
        guard let process = processes[stage], process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
        if signal == SIGKILL { process.waitUntilExit() }
    }

    /// SIGTERM to every process (each finishes its batch in hand), then SIGKILL what is still running after `timeout`.
    /// Returns the exit statuses of the processes that stopped by themselves.
    @discardableResult
    public func stop(timeout: Double = 20) -> [PipelineStage: Int32] {
        for process in processes.values where process.isRunning { Glibc.kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(timeout)
        var statuses: [PipelineStage: Int32] = [:]
        for (stage, process) in processes {
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                Glibc.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            } else {
                statuses[stage] = process.terminationStatus
            }
        }
        processes.removeAll()
        return statuses
    }

    deinit {
        for process in processes.values where process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
