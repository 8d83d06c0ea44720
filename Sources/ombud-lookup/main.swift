import ArgumentParser
import OmbudCore
import OmbudRuntime
import OmbudStages

/// The lookup stage's worker process (see OmbudStages/Lookup).
@main
struct LookupWorker: AsyncParsableCommand, WorkerCommand {
    static let configuration = CommandConfiguration(
        commandName: "ombud-lookup",
        abstract: "Ombud's lookup stage: find the customer and the order a ticket is about in the ledger.",
        discussion: "Consumes ombud.lookup; declares the topology at start. Scale with --lanes or more processes. `healthcheck` asks a running worker whether it is ready (for container health checks).",
        subcommands: [HealthcheckCommand<LookupWorker>.self])

    @OptionGroup var options: WorkerOptions
    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        try await OmbudFleet.run(.lookup, options: options, policy: policy)
    }
}
