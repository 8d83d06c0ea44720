import AMQP
import ArgumentParser
import Foundation
import OmbudOperations
import OmbudRuntime
import Postgres

struct ScenariosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios",
        abstract: "Run POLICY.md conformance scenarios through the running fleet.",
        subcommands: [ScenariosRunCommand.self])
}

struct ScenariosRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load each scenario's ledger, publish its tickets through the fleet, compare the outcome with `expect`.",
        discussion: """
            The five stage workers must be running on the same broker, database and --prefix (deploy/local/run starts \
            them). Ids are namespaced per run, so a file can be run any number of times. Prints one row per scenario \
            and a closing line `N passed, M failed`; exits 1 when any scenario fails.

            Example:
              ombudctl scenarios run scenarios/policy.jsonl
            """)

    @Argument(help: "A scenario file (JSON Lines, POLICY.md format).")
    var file: String

    @Option(help: "Only the scenarios whose name contains this text.")
    var filter: String?

    @Option(help: "Seconds to wait for each ticket's outcome.")
    var timeout: Double = 30

    @Option(help: "Prefix of the topology's names.")
    var prefix: String = "ombud"

    @Option(help: "AMQP URL (env OMBUD_AMQP_URL).")
    var amqpURL: String?

    @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
    var databaseURL: String?

    func run() throws {
        let scenarios = try ScenarioRunner.load(URL(fileURLWithPath: file))
        let database = try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-scenarios")
        defer { database.close() }
        let publisher = try AMQPPublisher(url: try AMQPURL(amqpURL ?? OmbudEnvironment.amqpURL),
                                          options: .init(name: "ombudctl-scenarios"))
        defer { publisher.close() }
        let runner = ScenarioRunner(database: database, publisher: publisher, names: TopologyNames(prefix: prefix),
                                    timeout: timeout)
        var passed = 0, failed = 0
        for (offset, scenario) in scenarios.enumerated() {
            if let filter, !scenario.name.localizedCaseInsensitiveContains(filter) { continue }
            let result = runner.outcome(of: scenario, index: offset + 1)
            print(ScenarioReport.row(result))
            if result.passed { passed += 1 } else { failed += 1 }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
