import ArgumentParser
import Foundation
import OmbudOperations
import OmbudRuntime
import Postgres

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Read one case: its overview and everything that happened on it.",
        subcommands: [CaseShowCommand.self])
}

struct CaseShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a case: status, intent, routing and dues, the hand-off summary, the actions, and the timeline.",
        discussion: """
            Reads only the agent views (ombud.agent_case_overview, ombud.agent_case_timeline), so a login role that is \
            a member of ombud_agent can run it. The timeline lists every ticket (redacted), classification, ledger \
            match, decision, action, reply, escalation and runtime event (parked, claimed, closed) in order.

            Example:
              ombudctl case show 0b7d3c1e-5a4f-4f0e-9c51-2f1d8f0a6b11
              ombudctl case show 0b7d3c1e-5a4f-4f0e-9c51-2f1d8f0a6b11 --json | jq '.timeline[].kind'
            """)

    @Argument(help: "The case id (a UUID).")
    var id: String

    @Flag(help: "Print the overview and the timeline as JSON.")
    var json = false

    @Option(help: "Wrap long text at this many columns.")
    var width = 100

    @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
    var databaseURL: String?

    func validate() throws {
        guard UUID(uuidString: id) != nil else { throw ValidationError("'\(id)' is not a case id (a UUID)") }
    }

    func run() throws {
        let caseId = UUID(uuidString: id)!
        let database = try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-case")
        defer { database.close() }
        let desk = AgentDesk(database: database)
        guard let overview = try desk.overview(caseId: caseId) else {
            throw AgentCommandFailure("no case \(caseId.uuidString.lowercased())")
        }
        let timeline = try desk.timeline(caseId: caseId)
        print(json ? try CaseReport.json(overview: overview, timeline: timeline)
                   : CaseReport.render(overview: overview, timeline: timeline, width: width))
    }
}
