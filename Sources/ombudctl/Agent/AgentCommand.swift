import ArgumentParser
import Foundation
import OmbudOperations
import OmbudRuntime
import Postgres

struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "The agent queue: list it, claim a case, close a case with an outcome.",
        discussion: """
            Uses only the agent views and functions, so a login role that is a member of ombud_agent is enough \
            (GRANT ombud_agent TO alice). Claiming skips cases other agents are claiming at the same moment.
            """,
        subcommands: [AgentQueueCommand.self, AgentClaimCommand.self, AgentCloseCommand.self])

    struct Connection: ParsableArguments {
        @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
        var databaseURL: String?

        func desk(_ name: String) throws -> (AgentDesk, PostgresConnection) {
            let database = try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-agent-\(name)")
            return (AgentDesk(database: database), database)
        }
    }

    /// Runs `body`, turning the agent functions' refusals into a validation message instead of a stack of text.
    static func refusalsAsErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as AgentDeskError { throw AgentCommandFailure(error.description) }
    }
}

/// A refusal printed as `Error: …` with exit status 1, without the usage text a ValidationError adds.
struct AgentCommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct AgentQueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "List open escalations, most urgent first (priority, then first-response due time).",
        discussion: """
            Columns: case, team, priority, language, first response due ("overdue" when past), regulatory due, \
            status (waiting, or claimed by whom), intent, and what the customer wants (the hand-off summary's first line).

            Example:
              ombudctl agent queue --team disputes --limit 20
            """)

    @Option(help: "Only this team's cases.")
    var team: String?
    @Option(help: "At most this many cases.")
    var limit = 50
    @OptionGroup var connection: AgentCommand.Connection

    func run() throws {
        let (desk, database) = try connection.desk("queue")
        defer { database.close() }
        let entries = try AgentCommand.refusalsAsErrors { try desk.queue(team: team, limit: limit) }
        print(entries.isEmpty ? "queue empty" + (team.map { " for team \($0)" } ?? "") : CaseReport.queueTable(entries))
    }
}

struct AgentClaimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim",
        abstract: "Claim the most urgent waiting case (of a team), or one named case; prints it with its hand-off summary.",
        discussion: """
            Without --case: claims the most urgent waiting case (of --team, when given), or prints "queue empty". \
            With --case: claims that case, and fails when it is not waiting for an agent.

            Examples:
              ombudctl agent claim --agent alice --team disputes
              ombudctl agent claim --agent alice --case 0b7d3c1e-5a4f-4f0e-9c51-2f1d8f0a6b11
            """)

    @Option(help: "Who claims (the assignee recorded on the case).")
    var agent: String
    @Option(help: "Only a case of this team.")
    var team: String?
    @Option(name: .customLong("case"), help: "Claim this case (a UUID) instead of the most urgent one.")
    var caseId: String?
    @OptionGroup var connection: AgentCommand.Connection

    func validate() throws {
        if caseId != nil, team != nil { throw ValidationError("give --team or --case, not both") }
        if let caseId, UUID(uuidString: caseId) == nil { throw ValidationError("'\(caseId)' is not a case id (a UUID)") }
        if agent.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--agent must name the agent") }
    }

    func run() throws {
        let (desk, database) = try connection.desk("claim")
        defer { database.close() }
        let claimed: UUID
        if let caseId = caseId.flatMap(UUID.init(uuidString:)) {
            guard try AgentCommand.refusalsAsErrors({ try desk.claim(caseId: caseId, agent: agent) }) else {
                let status = try desk.overview(caseId: caseId).map { "it is \($0.status)" + ($0.assignee.map { ", assignee \($0)" } ?? "") }
                throw AgentCommandFailure("case \(caseId.uuidString.lowercased()) was not claimed: \(status ?? "no such case")")
            }
            claimed = caseId
        } else {
            guard let next = try AgentCommand.refusalsAsErrors({ try desk.claimNext(agent: agent, team: team) }) else {
                print("queue empty" + (team.map { " for team \($0)" } ?? ""))
                return
            }
            claimed = next
        }
        print("claimed case \(claimed.uuidString.lowercased()) for \(agent)")
        guard let overview = try desk.overview(caseId: claimed) else { return }
        var line = "team \(overview.team ?? "—")  P\(overview.priority.map(String.init) ?? "—")  language \(overview.language ?? "—")"
            + "  intent \(overview.intent ?? "—")  customer \(overview.customerRef)  order \(overview.orderId ?? "—")"
        if let due = overview.firstResponseDue { line += "  first response due \(due.formatted(.iso8601))" }
        print(line)
        if let summary = overview.handoffSummary {
            print("")
            print(summary)
        }
        print("")
        print("close it with: ombudctl agent close \(claimed.uuidString.lowercased()) --agent \(agent) --outcome resolved")
    }
}

struct AgentCloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a case you hold, with an outcome and an optional note.",
        discussion: """
            Outcomes: \(AgentDesk.outcomes.joined(separator: ", ")). Fails when the agent does not hold the case \
            (not claimed, claimed by someone else, or closed already).

            Example:
              ombudctl agent close 0b7d3c1e-5a4f-4f0e-9c51-2f1d8f0a6b11 --agent alice --outcome refunded --note "refunded the return"
            """)

    @Argument(help: "The case id (a UUID).")
    var id: String
    @Option(help: "The agent who holds the case.")
    var agent: String
    @Option(help: "One of \(AgentDesk.outcomes.joined(separator: ", ")).")
    var outcome: String
    @Option(help: "A note for the case record.")
    var note: String?
    @OptionGroup var connection: AgentCommand.Connection

    func validate() throws {
        guard UUID(uuidString: id) != nil else { throw ValidationError("'\(id)' is not a case id (a UUID)") }
        guard AgentDesk.outcomes.contains(outcome) else {
            throw ValidationError("--outcome must be one of \(AgentDesk.outcomes.joined(separator: ", "))")
        }
    }

    func run() throws {
        let caseId = UUID(uuidString: id)!
        let (desk, database) = try connection.desk("close")
        defer { database.close() }
        guard try AgentCommand.refusalsAsErrors({ try desk.close(caseId: caseId, agent: agent, outcome: outcome, note: note) }) else {
            let status = try desk.overview(caseId: caseId).map { "it is \($0.status)" + ($0.assignee.map { ", assignee \($0)" } ?? "") }
            throw AgentCommandFailure("case \(caseId.uuidString.lowercased()) was not closed: \(agent) does not hold it (\(status ?? "no such case"))")
        }
        print("closed case \(caseId.uuidString.lowercased()) as \(outcome)")
    }
}
