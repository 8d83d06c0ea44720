import ArgumentParser
import OmbudCore
import OmbudRuntime
import OmbudStages

/// The classify stage's worker process (see OmbudStages/Classify).
@main
struct ClassifyWorker: AsyncParsableCommand, WorkerCommand {
    static let configuration = CommandConfiguration(
        commandName: "ombud-classify",
        abstract: "Ombud's classify stage: classify each ticket: intent and confidence, sentiment, flags and entities.",
        discussion: "Consumes ombud.classify; declares the topology at start. Scale with --lanes or more processes. `healthcheck` asks a running worker whether it is ready (for container health checks).",
        subcommands: [HealthcheckCommand<ClassifyWorker>.self])

    @OptionGroup var options: WorkerOptions
    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        try await OmbudFleet.run(.classify, options: options, policy: policy)
    }
}
