import Foundation
import OmbudOperations
import OmbudRuntime
import Postgres
import Testing

/// The agent desk against the real database: the queue's order, claiming (with SKIP LOCKED), closing, the timeline,
/// and what the ombud_agent role may and may not read. Every test makes its own cases under a team of its own
/// (`t-<uuid8>`), so other tests' rows never matter; its cases are closed at the end.
@Suite struct AgentDeskTests {
    @Test func queueIsOrderedByPriorityThenDueTime() throws {
        let fixture = try AgentFixture()
        defer { fixture.finish() }
        let now = Date()
        let p2 = try fixture.insertCase(priority: 2, due: now.addingTimeInterval(3600))
        let p1Later = try fixture.insertCase(priority: 1, due: now.addingTimeInterval(3 * 3600))
        let p1Sooner = try fixture.insertCase(priority: 1, due: now.addingTimeInterval(2 * 3600))
        let p3Overdue = try fixture.insertCase(priority: 3, due: now.addingTimeInterval(-3600))

        let queue = try fixture.desk.queue(team: fixture.team)
        #expect(queue.map(\.caseId) == [p1Sooner, p1Later, p2, p3Overdue])
        #expect(queue.allSatisfy { $0.team == fixture.team && $0.status == "escalated" })
        #expect(queue.last?.isOverdue(at: now) == true)
        #expect(queue.first?.isOverdue(at: now) == false)
        #expect(try fixture.desk.queue(team: fixture.team, limit: 2).map(\.caseId) == [p1Sooner, p1Later])

        let table = CaseReport.queueTable(queue, now: now)
        #expect(table.contains(p1Sooner.uuidString.lowercased()))
        #expect(table.contains("overdue"))
    }

    @Test func claimNextTakesTheMostUrgentCaseOfTheTeam() throws {
        let fixture = try AgentFixture()
        let other = try AgentFixture()
        defer { fixture.finish(); other.finish() }
        let now = Date()
        // More urgent, but of another team: the filter must skip it.
        _ = try other.insertCase(priority: 1, due: now.addingTimeInterval(-7200))
        _ = try fixture.insertCase(priority: 2, due: now.addingTimeInterval(60))
        let urgent = try fixture.insertCase(priority: 1, due: now.addingTimeInterval(1800))
        _ = try fixture.insertCase(priority: 1, due: now.addingTimeInterval(3600))

        let claimed = try fixture.desk.claimNext(agent: "alice", team: fixture.team)
        #expect(claimed == urgent)
        let overview = try #require(try fixture.desk.overview(caseId: urgent))
        #expect(overview.status == "claimed")
        #expect(overview.assignee == "alice")
        #expect(overview.claimedAt != nil)
        // Claimed cases stay in the queue, marked as claimed.
        #expect(try fixture.desk.queue(team: fixture.team).first { $0.caseId == urgent }?.assignee == "alice")
        // A claimed case cannot be claimed again.
        #expect(try fixture.desk.claim(caseId: urgent, agent: "bob") == false)
    }

    @Test func claimNextOnAnEmptyTeamIsNil() throws {
        let fixture = try AgentFixture()
        defer { fixture.finish() }
        #expect(try fixture.desk.claimNext(agent: "alice", team: fixture.team) == nil)
        #expect(try fixture.desk.queue(team: fixture.team).isEmpty)
    }

    @Test func concurrentClaimsGetDifferentCases() throws {
        let fixture = try AgentFixture()
        defer { fixture.finish() }
        let now = Date()
        let first = try fixture.insertCase(priority: 1, due: now.addingTimeInterval(600))
        let second = try fixture.insertCase(priority: 1, due: now.addingTimeInterval(1200))
        let otherConnection = try PostgresConnection(AgentTestDatabase.url, applicationName: "agentdesk-test-b")
        defer { otherConnection.close() }
        let otherDesk = AgentDesk(database: otherConnection)

        // A claims inside an open transaction (its row stays locked); B claims before A commits and must not wait.
        let (claimedByA, claimedByB) = try fixture.database.transaction { _ in
            let a = try fixture.desk.claimNext(agent: "agent-a", team: fixture.team)
            let b = try otherDesk.claimNext(agent: "agent-b", team: fixture.team)
            return (a, b)
        }
        #expect(claimedByA == first)
        #expect(claimedByB == second)
        #expect(try fixture.desk.overview(caseId: first)?.assignee == "agent-a")
        #expect(try fixture.desk.overview(caseId: second)?.assignee == "agent-b")
        #expect(try fixture.desk.claimNext(agent: "agent-c", team: fixture.team) == nil)
    }

    @Test func concurrentClaimsFromThreadsNeverShareACase() throws {
        let fixture = try AgentFixture()
        defer { fixture.finish() }
        let now = Date()
        var created: Set<UUID> = []
        for i in 0..<6 { created.insert(try fixture.insertCase(priority: 1 + i % 3, due: now.addingTimeInterval(Double(60 * i)))) }

        let results = AgentResults()
        let team = fixture.team
        let threads = (0..<2).map { n in
            Thread {
                do {
                    let connection = try PostgresConnection(AgentTestDatabase.url, applicationName: "agentdesk-test-\(n)")
                    defer { connection.close() }
                    let desk = AgentDesk(database: connection)
                    while let id = try desk.claimNext(agent: "agent-\(n)", team: team) { results.add(id) }
                } catch {
                    results.fail("\(error)")
                }
                results.done()
            }
        }
        threads.forEach { $0.start() }
        #expect(results.waitForDone(count: 2, timeout: 30))
        #expect(results.failures.isEmpty)
        #expect(results.ids.count == 6)
        #expect(Set(results.ids) == created)
    }

    @Test func closingNeedsTheHolderAndAKnownOutcome() throws {
        let fixture = try AgentFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase(priority: 2, due: Date().addingTimeInterval(600))
        // Not claimed yet: nobody holds it.
        #expect(try fixture.desk.close(caseId: id, agent: "alice", outcome: "resolved") == false)
        #expect(try fixture.desk.claim(caseId: id, agent: "alice"))
        #expect(try fixture.desk.close(caseId: id, agent: "bob", outcome: "resolved") == false)
        #expect(throws: AgentDeskError.self) { try fixture.desk.close(caseId: id, agent: "alice", outcome: "fixed") }
        do {
            _ = try fixture.desk.close(caseId: id, agent: "alice", outcome: "fixed")
        } catch AgentDeskError.invalidArgument(let message) {
            #expect(message.contains("outcome must be one of"))
        }
        #expect(throws: AgentDeskError.self) { try fixture.desk.claimNext(agent: "  ", team: fixture.team) }
        #expect(try fixture.desk.overview(caseId: id)?.status == "claimed")

        #expect(try fixture.desk.close(caseId: id, agent: "alice", outcome: "refunded", note: "refunded the return"))
        let overview = try #require(try fixture.desk.overview(caseId: id))
        #expect(overview.status == "closed")
        #expect(overview.closeOutcome == "refunded")
        #expect(overview.closeNote == "refunded the return")
        #expect(try fixture.desk.queue(team: fixture.team).isEmpty)
        // Closed is closed.
        #expect(try fixture.desk.close(caseId: id, agent: "alice", outcome: "resolved") == false)
        #expect(try fixture.desk.claim(caseId: id, agent: "alice") == false)
    }

    @Test func timelineShowsTheTicketTheEscalationAndTheAgentsEvents() throws {
        let fixture = try AgentFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase(priority: 1, due: Date().addingTimeInterval(900), withTicket: true)
        #expect(try fixture.desk.claim(caseId: id, agent: "alice"))
        #expect(try fixture.desk.close(caseId: id, agent: "alice", outcome: "resolved", note: "called back"))

        let timeline = try fixture.desk.timeline(caseId: id)
        #expect(timeline.map(\.kind) == ["ticket", "escalation", "claimed", "closed"])
        #expect(timeline.map(\.at) == timeline.map(\.at).sorted())
        #expect(timeline[0].detail["body"]?.string == AgentFixture.body)
        #expect(timeline[1].detail["team"]?.string == fixture.team)
        #expect(timeline[2].detail["agent"]?.string == "alice")
        #expect(timeline[3].detail["outcome"]?.string == "resolved")

        let overview = try #require(try fixture.desk.overview(caseId: id))
        #expect(overview.handoffSummary?.hasPrefix("Customer wants") == true)
        let report = CaseReport.render(overview: overview, timeline: timeline)
        for expected in ["CLOSED", "hand-off summary", "Customer wants a refund", "ticket", "escalation", "claimed",
                         "closed", "agent: alice", "chat \(fixture.team)-ext", "returned the shoes"] {
            #expect(report.contains(expected), "report lacks \(expected):\n\(report)")
        }
        let json = try CaseReport.json(overview: overview, timeline: timeline)
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((decoded["timeline"] as? [Any])?.count == 4)
        #expect((decoded["overview"] as? [String: Any])?["status"] as? String == "closed")
    }

    @Test func overviewOfAnUnknownCaseIsNil() throws {
        let fixture = try AgentFixture()
        defer { fixture.finish() }
        #expect(try fixture.desk.overview(caseId: UUID()) == nil)
        #expect(try fixture.desk.timeline(caseId: UUID()).isEmpty)
    }

    @Test func theAgentRoleReadsTheViewsAndCallsTheFunctionsOnly() throws {
        let fixture = try AgentFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase(priority: 2, due: Date().addingTimeInterval(600), withTicket: true)
        let connection = try PostgresConnection(AgentTestDatabase.url, applicationName: "agentdesk-test-role")
        defer { connection.close() }
        try connection.query("SET ROLE ombud_agent")
        defer { _ = try? connection.query("RESET ROLE") }
        #expect(try connection.query("SELECT current_user")[0].decode(String.self, column: 0) == "ombud_agent")

        let desk = AgentDesk(database: connection)
        #expect(try desk.queue(team: fixture.team).map(\.caseId) == [id])
        #expect(try desk.overview(caseId: id)?.team == fixture.team)
        #expect(try desk.timeline(caseId: id).map(\.kind) == ["ticket", "escalation"])
        for table in ["ombud.cases", "ombud.case_messages", "ombud.escalations", "ledger.customers"] {
            let error = #expect(throws: PostgresError.self) { try connection.query("SELECT 1 FROM \(table) LIMIT 1") }
            #expect(error?.sqlState == "42501", "\(table): \(String(describing: error))")
        }
        let update = #expect(throws: PostgresError.self) {
            try connection.query("UPDATE ombud.cases SET assignee = 'mallory' WHERE id = $1", [.uuid(id)])
        }
        #expect(update?.sqlState == "42501")

        #expect(try desk.claim(caseId: id, agent: "alice"))
        #expect(try desk.close(caseId: id, agent: "alice", outcome: "resolved"))
        try connection.query("RESET ROLE")
        #expect(try fixture.desk.overview(caseId: id)?.closeOutcome == "resolved")
    }
}

// MARK: Helpers (prefixed Agent…, shared by this file only)

enum AgentTestDatabase {
    static let url = ProcessInfo.processInfo.environment["OMBUD_DATABASE_URL"] ?? "postgresql://ombud@127.0.0.1:5442/ombud"

    static let migrated: Result<Void, any Error> = Result {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        let database = try PostgresConnection(url, applicationName: "agentdesk-test-migrate")
        defer { database.close() }
        _ = try Migrator.load(directory: dir.appendingPathComponent("migrations")).migrate(database)
    }
}

/// One test's team, connection and cases; `finish()` closes the cases it made so they leave the shared queue.
final class AgentFixture {
    static let body = "I returned the shoes two weeks ago and still have not got my money back. Please refund me."
    let team = "t-" + UUID().uuidString.prefix(8).lowercased()
    let database: PostgresConnection
    let desk: AgentDesk
    private(set) var cases: [UUID] = []

    init() throws {
        try AgentTestDatabase.migrated.get()
        database = try PostgresConnection(AgentTestDatabase.url, applicationName: "agentdesk-test")
        desk = AgentDesk(database: database)
    }

    /// An escalated case of this fixture's team; with a ticket (case_messages) and its escalation when asked.
    @discardableResult
    func insertCase(priority: Int, due: Date, withTicket: Bool = false) throws -> UUID {
        let id = UUID()
        try database.query("""
            INSERT INTO ombud.cases (id, status, stage, channel, customer_ref, intent, intent_confidence, language,
                                     priority, team, sla_due_at, outcome, rule)
            VALUES ($1, 'escalated', 'escalate', 'chat', $2, 'refund_status', 0.91, 'en', $3, $4, $5, 'escalated', 'test')
            """, [.uuid(id), .text("cus-\(team)"), .int(Int64(priority)), .text(team), .timestamp(due)])
        cases.append(id)
        if withTicket {
            let ticket = UUID()
            try database.query("""
                INSERT INTO ombud.case_messages (ticket_id, case_id, channel, external_id, body, language, received_at,
                                                 arrived_at)
                VALUES ($1, $2, 'chat', $3, $4, 'en', now() - interval '2 minutes', clock_timestamp() - interval '1 minute')
                """, [.uuid(ticket), .uuid(id), .text("\(team)-ext-\(cases.count)"), .text(Self.body)])
            try database.query("""
                INSERT INTO ombud.escalations (ticket_id, case_id, team, priority, language, first_response_due, reason,
                                               summary, summary_text, escalated_at)
                VALUES ($1, $2, $3, $4, 'en', $5, 'refund overdue', '{"team": "x"}',
                        E'Customer wants a refund for returned shoes.\nOrder: none found.', clock_timestamp() - interval '30 seconds')
                """, [.uuid(ticket), .uuid(id), .text(team), .int(Int64(priority)), .timestamp(due)])
        }
        return id
    }

    func finish() {
        _ = try? database.query("""
            UPDATE ombud.cases SET status = 'closed', closed_at = coalesce(closed_at, now()),
                   close_outcome = coalesce(close_outcome, 'duplicate'), close_note = coalesce(close_note, 'test cleanup')
            WHERE id = ANY($1::uuid[]) AND status <> 'closed'
            """, [.textArray(cases.map { $0.uuidString })])
        database.close()
    }
}

/// What the claiming threads report.
final class AgentResults: @unchecked Sendable {
    private let condition = NSCondition()
    private var claimed: [UUID] = []
    private var errors: [String] = []
    private var finished = 0

    func add(_ id: UUID) { condition.lock(); claimed.append(id); condition.unlock() }
    func fail(_ message: String) { condition.lock(); errors.append(message); condition.unlock() }
    func done() { condition.lock(); finished += 1; condition.broadcast(); condition.unlock() }

    var ids: [UUID] { condition.lock(); defer { condition.unlock() }; return claimed }
    var failures: [String] { condition.lock(); defer { condition.unlock() }; return errors }

    func waitForDone(count: Int, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while finished < count {
            if !condition.wait(until: deadline) { return finished >= count }
        }
        return true
    }
}
