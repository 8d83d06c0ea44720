import ArgumentParser

@main
struct Ombudctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ombudctl",
        abstract: "Operate Ombud: migrate, declare the topology, seed the ledger, generate and publish tickets, watch status, replay parked messages, work the agent queue and read cases, run the scenarios, benchmark, build and measure the text models.",
        discussion: """
            Connection settings come from OMBUD_AMQP_URL and OMBUD_DATABASE_URL (or *_FILE), or from the flags.
            deploy/local/services env prints the settings of the local RabbitMQ and PostgreSQL.
            """,
        subcommands: [MigrateCommand.self, TopologyCommand.self, PublishCommand.self, StatusCommand.self, ParkedCommand.self,
                      CaseCommand.self, AgentCommand.self, SeedCommand.self, SampleCommand.self, SummaryCommand.self,
                      ScenariosCommand.self, BenchCommand.self, ModelCommand.self, TextCommand.self, ReceiptsCommand.self, EraseCommand.self])
}
