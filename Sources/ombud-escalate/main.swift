import ArgumentParser
import OmbudCore
import OmbudRuntime
import OmbudStages

/// The escalate stage's worker process (see OmbudStages/Escalate).
@main
struct EscalateWorker: AsyncParsableCommand, WorkerCommand {
    static let configuration = CommandConfiguration(
        commandName: "ombud-escalate",
        abstract: "Ombud's escalate stage: route escalated cases to the agent queue with a hand-off summary and a holding reply.",
        discussion: "Consumes ombud.escalate; declares the topology at start. Scale with --lanes or more processes. `healthcheck` asks a running worker whether it is ready (for container health checks).",
        subcommands: [HealthcheckCommand<EscalateWorker>.self])

    @OptionGroup var options: WorkerOptions
    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        try await OmbudFleet.run(.escalate, options: options, policy: policy)
    }
}
