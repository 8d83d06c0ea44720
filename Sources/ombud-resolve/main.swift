import ArgumentParser
import OmbudCore
import OmbudRuntime
import OmbudStages

/// The resolve stage's worker process (see OmbudStages/Resolve).
@main
struct ResolveWorker: AsyncParsableCommand, WorkerCommand {
    static let configuration = CommandConfiguration(
        commandName: "ombud-resolve",
        abstract: "Ombud's resolve stage: apply the resolution policy: execute actions once, answer the customer or escalate.",
        discussion: "Consumes ombud.resolve; declares the topology at start. Scale with --lanes or more processes. `healthcheck` asks a running worker whether it is ready (for container health checks).",
        subcommands: [HealthcheckCommand<ResolveWorker>.self])

    @OptionGroup var options: WorkerOptions
    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        try await OmbudFleet.run(.resolve, options: options, policy: policy)
    }
}
