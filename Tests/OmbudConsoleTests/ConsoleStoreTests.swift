import Foundation
@testable import OmbudConsole
import OmbudOperations
import OmbudTestSupport
import Postgres
import Testing

/// Migration 0010 against the real database: the audit and notes cannot be changed, a change to a queued case is
/// notified (case id only) and reaches only the agents of its team, reassigning.
@Suite struct ConsoleStoreTests {
    @Test func auditAndNotesAreAppendOnly() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        try ConsoleStore.audit(agent: "ana", action: "claim", caseId: id, outcome: "done", in: fixture.database)
        try ConsoleStore.addNote(id, author: "ana", body: "first", in: fixture.database)
        for statement in ["UPDATE ombud.agent_audit SET agent = 'mallory' WHERE case_id = $1",
                          "DELETE FROM ombud.agent_audit WHERE case_id = $1",
                          "UPDATE ombud.agent_notes SET body = 'changed' WHERE case_id = $1",
                          "DELETE FROM ombud.agent_notes WHERE case_id = $1"] {
            #expect(throws: PostgresError.self, "\(statement)") { try fixture.database.query(statement, [.uuid(id)]) }
        }
        #expect(throws: PostgresError.self) { try fixture.database.query("TRUNCATE ombud.agent_audit") }
        #expect(try fixture.audit(id).map(\.agent) == ["ana"])
        #expect(try ConsoleStore.notes(id, in: fixture.database).map(\.body) == ["first"])

        // The agent role may add and read, not change.
        try fixture.database.transaction { db in
            try db.query("SET LOCAL ROLE ombud_agent")
            try ConsoleStore.audit(agent: "ana", action: "note", caseId: id, outcome: "done", in: db)
            #expect(throws: PostgresError.self) {
                try db.savepoint { try $0.query("UPDATE ombud.agent_audit SET agent = 'x' WHERE case_id = $1", [.uuid(id)]) }
            }
        }
        #expect(try fixture.audit(id).count == 2)
    }

    @Test func erasingTheCustomerBlanksTheNotesOfTheirCases() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        try ConsoleStore.addNote(id, author: "ana", body: "Customer's phone is +46 70 123 45 67", in: fixture.database)
        // Not erased: even the erasure marker is refused.
        #expect(throws: PostgresError.self) {
            try fixture.database.query("UPDATE ombud.agent_notes SET body = '[erased]' WHERE case_id = $1", [.uuid(id)])
        }
        _ = try fixture.database.query("SELECT * FROM ombud.erase_customer($1, 'console-test')", [.text("cus-\(fixture.team)")])
        #expect(try ConsoleStore.notes(id, in: fixture.database).map(\.body) == ["[erased]"])
        // Still append-only afterwards.
        #expect(throws: PostgresError.self) {
            try fixture.database.query("UPDATE ombud.agent_notes SET body = 'back' WHERE case_id = $1", [.uuid(id)])
        }
    }

    @Test func aChangeToAQueuedCaseIsNotifiedToTheAgentsOfItsTeam() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        let events = fixture.services.events
        events.start()
        #expect(await eventually(timeout: 30) { events.isListening })
        // Subscribed before the change; each stream buffers until read (the test's tasks may start late on a busy machine).
        // A supervisor's stream is left out here: it carries every test's changes (Agent.mayWork covers supervisors).
        let mine = events.subscribe(agent: Agent(name: "ana", teams: [fixture.team], isSupervisor: false))
        let others = events.subscribe(agent: Agent(name: "bob", teams: [fixture.otherTeam], isSupervisor: false))

        #expect(try AgentDesk(database: fixture.database).claim(caseId: id, agent: "ana"))

        #expect(await firstChange(mine, for: id, within: 30) == CaseEvents.Change(caseId: id, team: fixture.team))
        #expect(await firstChange(others, for: id, within: 2) == nil)
    }

    @Test func reassigningMovesTheCaseAndIsOnTheTimeline() throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        #expect(try ConsoleStore.reassign(id, by: "sam", to: "bob", team: fixture.otherTeam, in: fixture.database))
        #expect(try fixture.status(id) == ("claimed", "bob"))
        let ana = Agent(name: "ana", teams: [fixture.team], isSupervisor: false)
        #expect(try ConsoleStore.scopedCase(id, agent: ana, in: fixture.database) == nil)
        let bob = Agent(name: "bob", teams: [fixture.otherTeam], isSupervisor: false)
        #expect(try ConsoleStore.scopedCase(id, agent: bob, in: fixture.database)?.assignee == "bob")
        let timeline = try AgentDesk(database: fixture.database).timeline(caseId: id)
        #expect(timeline.contains { $0.kind == "reassigned" && $0.detail["to"]?.string == "bob" })
        _ = try AgentDesk(database: fixture.database).close(caseId: id, agent: "bob", outcome: "resolved")
        #expect(try ConsoleStore.reassign(id, by: "sam", to: "ana", team: nil, in: fixture.database) == false)
    }
}

/// Polls `condition` without blocking a thread of the test's executor; whether it held within `timeout` seconds.
func eventually(timeout: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return condition()
}

/// The first change for `caseId` on `stream` within `seconds`, or nil.
func firstChange(_ stream: AsyncStream<CaseEvents.Change>, for caseId: UUID, within seconds: Double) async -> CaseEvents.Change? {
    await withTaskGroup(of: CaseEvents.Change?.self) { group in
        group.addTask {
            for await change in stream where change.caseId == caseId { return change }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(seconds))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
