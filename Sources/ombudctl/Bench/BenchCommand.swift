import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks against the real broker and database.",
        subcommands: [RelayBenchCommand.self, PipelineBenchCommand.self, TextBenchCommand.self])
}
