import AMQP
import Foundation
import OmbudCore
import OmbudLedger
import OmbudRuntime
import Postgres

/// POLICY.md's conformance format through the running fleet: for each scenario, load its ledger under a fresh
/// namespace, publish its tickets to `ombud.tickets` one at a time (each after the previous one's outcome is
/// recorded), then compare the case with `expect`.
public struct ScenarioRunner {
    public struct Result: Sendable {
        public var index: Int
        public var name: String
        public var problems: [String]
        /// The rules that fired, ticket by ticket.
        public var rules: [String]
        public var caseId: String?
        public var passed: Bool { problems.isEmpty }

        public init(index: Int, name: String, problems: [String], rules: [String], caseId: String?) {
            self.index = index
            self.name = name
            self.problems = problems
            self.rules = rules
            self.caseId = caseId
        }
    }

    let database: PostgresConnection
    let publisher: AMQPPublisher
    let names: TopologyNames
    /// Per ticket: how long to wait for the fleet's decision (and, for an escalation, the hand-off).
    let timeout: Double
    /// Distinguishes this run's ids from every other run's.
    let runId: String

    public init(database: PostgresConnection, publisher: AMQPPublisher, names: TopologyNames, timeout: Double = 30,
                runId: String = String(UUID().uuidString.prefix(8)).lowercased()) {
        self.database = database
        self.publisher = publisher
        self.names = names
        self.timeout = timeout
        self.runId = runId
    }

    /// Reads a scenario file: one JSON object per line; blank lines are skipped.
    public static func load(_ url: URL) throws -> [Scenario] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).enumerated().compactMap { index, line in
            guard !line.allSatisfy(\.isWhitespace) else { return nil }
            do {
                return try JSONDecoder().decode(Scenario.self, from: Data(line.utf8))
            } catch {
                throw ScenarioFileError(path: url.path, line: index + 1, reason: "\(error)")
            }
        }
    }

    /// Runs one scenario; a scenario that cannot finish (a timeout, a parked ticket) is reported as failed with why.
    public func outcome(of scenario: Scenario, index: Int) -> Result {
        do {
            return try run(scenario, index: index)
        } catch {
            return Result(index: index, name: scenario.name, problems: ["\(error)"], rules: [], caseId: nil)
        }
    }

    public func run(_ scenario: Scenario, index: Int) throws -> Result {
        let namespace = "sc\(runId)-\(index)-"
        try ScenarioLedgerLoader.load(scenario.ledger, namespace: namespace, database: database)
        var ticketIds: [UUID] = []
        for ticket in scenario.tickets {
            let published = namespaced(ticket, namespace, customer: scenario.ledger.customer)
            let ticketId = MessageIds.ticket(channel: published.channel, externalId: published.externalId)
            var properties = AMQPProperties()
            properties.contentType = MessageProperties.contentType
            properties.persistent = true
            properties.messageId = "ticket:\(published.channel):\(published.externalId)"
            try publisher.publish(exchange: names.tickets, routingKey: "ticket.\(published.channel)",
                                  body: try MessageCoding.encode(published), properties: properties)
            try publisher.waitForConfirms(timeout: timeout)
            try waitForOutcome(ticketId)
            ticketIds.append(ticketId)
        }
        return try compare(scenario, index: index, ticketIds: ticketIds)
    }

    /// Ids in a scenario are local to it: the customer, orders, thread and external ids get the run's namespace.
    func namespaced(_ ticket: ScenarioTicketInput, _ ns: String, customer: OmbudCore.Customer) -> TicketV1 {
        TicketV1(
            channel: ticket.channel, externalId: ns + ticket.externalId, threadId: ticket.threadId.map { ns + $0 },
            customer: .init(id: ticket.customer.id.map { ns + $0 }, email: ticket.customer.email,
                            locale: ticket.customer.locale ?? customer.locale),
            subject: ticket.subject, body: ticket.body, orderRef: ticket.orderRef.map { ns + $0 },
            receivedAt: ticket.receivedAt.date,
            attachments: (ticket.attachments ?? []).map {
                .init(name: $0.name, contentType: $0.contentType ?? "application/octet-stream", size: $0.size ?? 0)
            })
    }

    /// Waits until the ticket is decided and, when escalated, handed off; or until it is parked.
    func waitForOutcome(_ ticketId: UUID) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let row = try database.query("""
                SELECT d.outcome, EXISTS (SELECT 1 FROM ombud.escalations e WHERE e.ticket_id = $1),
                       EXISTS (SELECT 1 FROM ombud.replies r WHERE r.ticket_id = $1)
                FROM ombud.decisions d WHERE d.ticket_id = $1
                """, [.uuid(ticketId)]).first
            if let row {
                let escalated = try row.decode(String.self, column: 0) == "escalated"
                if try row.decode(Bool.self, column: escalated ? 1 : 2) && row.decode(Bool.self, column: 2) { return }
            }
            if try !database.query("SELECT 1 FROM ombud.parked_messages WHERE case_id = $1 OR message_id LIKE $2",
                                   [.uuid(ticketId), .text("%\(MessageIds.canonical(ticketId))%")]).isEmpty {
                throw ScenarioRunError("ticket \(MessageIds.canonical(ticketId)) was parked (see ombudctl parked list)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ScenarioRunError("no outcome for ticket \(MessageIds.canonical(ticketId)) within \(Int(timeout)) s — is the fleet running?")
    }

    func compare(_ scenario: Scenario, index: Int, ticketIds: [UUID]) throws -> Result {
        let expect = scenario.expect
        var decisions: [(rule: String, outcome: String, intent: String, team: String?, priority: Int?)] = []
        for ticketId in ticketIds {
            let row = try database.query("SELECT rule, outcome, intent, team, priority FROM ombud.decisions WHERE ticket_id = $1",
                                         [.uuid(ticketId)]).first!
            decisions.append((try row.decode(String.self, column: 0), try row.decode(String.self, column: 1),
                              try row.decode(String.self, column: 2), try row.decode(String?.self, column: 3),
                              try row.decode(Int?.self, column: 4)))
        }
        guard let lastTicket = ticketIds.last, let last = decisions.last else {
            return Result(index: index, name: scenario.name, problems: ["no tickets"], rules: [], caseId: nil)
        }
        let caseId = try database.query("SELECT case_id FROM ombud.case_messages WHERE ticket_id = $1", [.uuid(lastTicket)])
            .first!.decode(UUID.self, column: 0)
        var problems: [String] = []
        if last.intent != expect.intent.rawValue {
            let classified = try database.query("SELECT intent, confidence::text FROM ombud.classifications WHERE ticket_id = $1",
                                                [.uuid(lastTicket)]).first
            problems.append("intent \(last.intent) ≠ \(expect.intent.rawValue) (model: \(try classified?.decode(String.self, column: 0) ?? "?") p=\(try classified?.decode(String.self, column: 1) ?? "?"))")
        }
        if last.outcome != expect.outcome.rawValue {
            problems.append("outcome \(last.outcome) ≠ \(expect.outcome.rawValue) (rule \(last.rule))")
        }
        let actionRows = try database.query("""
            SELECT kind, count(*) FROM ombud.actions WHERE case_id = $1 AND status <> 'not_applicable' GROUP BY kind
            """, [.uuid(caseId)])
        let kinds = Set(try actionRows.map { try $0.decode(String.self, column: 0) })
        if kinds != Set(expect.actions.map(\.rawValue)) {
            problems.append("actions \(kinds.sorted()) ≠ \(expect.actions.map(\.rawValue).sorted())")
        }
        let skipped = try database.query("SELECT kind, result FROM ombud.actions WHERE case_id = $1 AND status = 'not_applicable'",
                                         [.uuid(caseId)])
        for row in skipped {
            problems.append("action \(try row.decode(String.self, column: 0)) not applicable: \(try row.decode(String.self, column: 1))")
        }
        if let team = expect.team, last.team != team.rawValue {
            problems.append("team \(last.team ?? "none") ≠ \(team.rawValue) (rule \(last.rule))")
        }
        if let priority = expect.priority, last.priority.map({ "P\($0)" }) != priority.rawValue {
            problems.append("priority \(last.priority.map { "P\($0)" } ?? "none") ≠ \(priority.rawValue)")
        }
        if let flags = expect.flags {
            let found = Set(try database.query("SELECT DISTINCT unnest(flags) FROM ombud.classifications WHERE case_id = $1",
                                               [.uuid(caseId)]).map { try $0.decode(String.self, column: 0) })
            if found != Set(flags.map(\.rawValue)) {
                problems.append("flags \(found.sorted()) ≠ \(flags.map(\.rawValue).sorted())")
            }
        }
        if let statuses = expect.statusAfter, statuses.map(\.rawValue) != decisions.map(\.outcome) {
            problems.append("status_after \(decisions.map(\.outcome)) ≠ \(statuses.map(\.rawValue))")
        }
        if let language = expect.language {
            let replied = try database.query("SELECT language FROM ombud.replies WHERE ticket_id = $1 ORDER BY created_at DESC LIMIT 1",
                                             [.uuid(lastTicket)]).first?.decode(String.self, column: 0)
            if replied != ReplyLanguage(tag: language).rawValue {
                problems.append("reply language \(replied ?? "none") ≠ \(language)")
            }
        }
        return Result(index: index, name: scenario.name, problems: problems, rules: decisions.map(\.rule),
                      caseId: MessageIds.canonical(caseId))
    }
}

public struct ScenarioFileError: Error, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: String
    public var description: String { "\(path) line \(line): \(reason)" }
}

public struct ScenarioRunError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
