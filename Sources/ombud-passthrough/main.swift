import ArgumentParser
import OmbudRuntime
import Postgres

/// A worker running pass-through stages: the runtime with no domain logic. Used by the runtime's
/// crash and shutdown tests and handy for trying a broker or database setup.
@main
struct PassThroughWorker: AsyncParsableCommand, WorkerCommand {
    static let configuration = CommandConfiguration(
        commandName: "ombud-passthrough",
        abstract: "Run pass-through stages that forward every message along a chain (the runtime without domain logic).",
        discussion: "The last stage of the chain records each arrival in ombud_bench.arrivals under the topology prefix. `healthcheck` asks a running worker whether it is ready.",
        subcommands: [HealthcheckCommand<PassThroughWorker>.self])

    @Option(help: "The chain, in order, comma-separated.")
    var chain: String = "s1,s2,s3,s4,s5"

    @Option(help: "Only run these stages of the chain (comma-separated); default: all of them.")
    var only: String?

    @OptionGroup var options: WorkerOptions

    func run() async throws {
        let stages = chain.split(separator: ",").map(String.init)
        guard !stages.isEmpty else { throw ValidationError("--chain needs at least one stage") }
        let config = try options.resolve()
        let selected = only.map { Set($0.split(separator: ",").map(String.init)) } ?? Set(stages)
        let unknown = selected.subtracting(stages)
        guard unknown.isEmpty else { throw ValidationError("--only names stages not in --chain: \(unknown.sorted().joined(separator: ", "))") }
        let database = try PostgresConnection(config.databaseURL)
        try PassThroughStage.prepare(database)
        database.close()
        let run = config.names.prefix
        try await OmbudWorker.run(
            stages: PassThroughStage.chain(stages, run: run).filter { selected.contains($0.name) },
            topology: { names, type in Topology.chain(names: names, stages: stages, queueType: type) },
            options: options, processName: "ombud-passthrough")
    }
}
