import ArgumentParser
import Foundation

/// A worker executable's command: its options are what `healthcheck` reads the HTTP port from.
public protocol WorkerCommand: ParsableCommand {
    var options: WorkerOptions { get }
}

/// `ombud-<stage> healthcheck [--http-port N] [--liveness]`: for container HEALTHCHECKs and probes in images without
/// curl. Asks the worker on this host: exit 0 when it answers 200, 1 with a one-line reason otherwise.
///
/// A subcommand of the worker command, so `ombud-intake --lanes 2` and `ombud-intake --help` stay as they were; the
/// worker's own `--http-port` (ArgumentParser gives a parent's options to the parent wherever they appear) is the
/// port asked.
public struct HealthcheckCommand<Worker: WorkerCommand>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "healthcheck",
            abstract: "Ask this host's worker whether it is ready (GET /readyz: every lane connected) or alive (--liveness, GET /healthz).",
            discussion: """
                The port is the worker's: --http-port N, else OMBUD_HTTP_PORT, else 9400. Exits 0 when the worker answers 200, \
                1 with a one-line reason otherwise (nothing listening, not ready, no answer within --timeout).
                """)
    }

    @ParentCommand var worker: Worker

    @Flag(help: "Ask /healthz (the process is alive) instead of /readyz (its lanes are connected).")
    var liveness = false

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 2

    public init() {}

    public func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds") }
    }

    public func run() throws {
        let text = worker.options.httpPort.map(String.init) ?? OmbudEnvironment.value("OMBUD_HTTP_PORT") ?? "9400"
        guard let port = Int(text), (1...65535).contains(port) else {
            throw ValidationError("the HTTP port must be a whole number in 1...65535 (--http-port or OMBUD_HTTP_PORT), got '\(text)'")
        }
        let path = liveness ? "/healthz" : "/readyz"
        switch HealthProbe.check(port: port, path: path, timeout: timeout) {
        case .healthy:
            print("ok: \(path) on port \(port)")
        case .unhealthy(let reason):
            print("unhealthy: \(reason)")
            throw ExitCode.failure
        }
    }
}
