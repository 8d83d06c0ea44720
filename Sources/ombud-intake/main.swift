import ArgumentParser
import OmbudCore
import OmbudRuntime
import OmbudStages

/// The intake stage's worker process (see OmbudStages/Intake).
@main
struct IntakeWorker: AsyncParsableCommand, WorkerCommand {
    static let configuration = CommandConfiguration(
        commandName: "ombud-intake",
        abstract: "Ombud's intake stage: validate, redact, dedupe and thread inbound tickets into cases.",
        discussion: "Consumes ombud.intake; declares the topology at start. Scale with --lanes or more processes. `healthcheck` asks a running worker whether it is ready (for container health checks).",
        subcommands: [HealthcheckCommand<IntakeWorker>.self])

    @OptionGroup var options: WorkerOptions
    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        try await OmbudFleet.run(.intake, options: options, policy: policy)
    }
}
