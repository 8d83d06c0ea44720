import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import OmbudConsole
import OmbudOperations
import OmbudTestSupport
import Postgres
import Testing

/// Claim-next, reassigning (who may), the queue's views, search, and the timeline's pages, over HTTP against the real
/// database.
@Suite struct ConsoleActionTests {
    @Test func claimNextTakesTheMostUrgentCaseOfTheAgentsTeams() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        // More urgent, but another team's: never claimed by this agent.
        _ = try fixture.insertCase(team: fixture.otherTeam, priority: 1, due: Date().addingTimeInterval(-3600))
        _ = try fixture.insertCase(priority: 2, due: Date().addingTimeInterval(600))
        let urgent = try fixture.insertCase(priority: 1, due: Date().addingTimeInterval(1800))
        try await fixture.app.test(.live) { client in
            try await client.execute(uri: "/claim-next", method: .post, headers: fixture.headers(form: true),
                                     body: ConsoleFixture.formBody(["csrf": fixture.token()])) { response in
                #expect(response.headers[.location] == "/cases/\(urgent.uuidString.lowercased())?done=claimed")
            }
            // Mine now shows it; unassigned does not.
            try await client.execute(uri: "/?view=mine", method: .get, headers: fixture.headers()) { response in
                #expect(response.text.contains(urgent.uuidString.lowercased()))
                #expect(response.text.contains("1 open case,"))
            }
            try await client.execute(uri: "/?view=unassigned", method: .get, headers: fixture.headers()) { response in
                #expect(!response.text.contains(urgent.uuidString.lowercased()))
            }
            try await client.execute(uri: "/?priority=2", method: .get, headers: fixture.headers()) { response in
                #expect(!response.text.contains(urgent.uuidString.lowercased()))
                #expect(response.text.contains("1 open case,"))
            }
        }
        #expect(try fixture.status(urgent) == ("claimed", "ana@example.com"))
    }

    @Test func onlyTheHolderOrASupervisorReassigns() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        let path = "/cases/\(id.uuidString.lowercased())/reassign"
        _ = try AgentDesk(database: fixture.database).claim(caseId: id, agent: "ana@example.com")
        try await fixture.app.test(.live) { client async throws in
            let send = { (agent: String, groups: String?, fields: [String: String]) async throws -> TestResponse in
                try await client.execute(uri: path, method: .post, headers: fixture.headers(agent: agent, groups: groups, form: true),
                                         body: ConsoleFixture.formBody(fields.merging(["csrf": fixture.token(agent: agent)]) { a, _ in a }))
            }
            // Another agent of the team does not hold it.
            #expect(try await send("bob@example.com", nil, ["to": "bob@example.com"]).status == .forbidden)
            // The holder may hand it on, but not to another team.
            #expect(try await send("ana@example.com", nil, ["to": "cy@example.com", "team": fixture.otherTeam]).status == .forbidden)
            #expect(try await send("ana@example.com", nil, ["to": "cy@example.com"]).status == .seeOther)
            #expect(try fixture.status(id) == ("claimed", "cy@example.com"))
            // A supervisor moves it to another team.
            #expect(try await send("sam@example.com", "ombud-supervisors", ["to": "dee@example.com", "team": fixture.otherTeam])
                .status == .seeOther)
        }
        #expect(try fixture.status(id) == ("claimed", "dee@example.com"))
        #expect(try fixture.database.query("SELECT team FROM ombud.cases WHERE id = $1", [.uuid(id)])[0]
            .decode(String.self, column: 0) == fixture.otherTeam)
        #expect(try fixture.audit(id).map { "\($0.agent) \($0.outcome)" } == [
            "bob@example.com refused", "ana@example.com refused", "ana@example.com done", "sam@example.com done",
        ])
    }

    @Test func searchFindsCasesByIdAndCustomerWithinTheAgentsTeams() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        let theirs = try fixture.insertCase(team: fixture.otherTeam, body: "a very particular phrase \(fixture.team)")
        try await fixture.app.test(.live) { client in
            for query in [id.uuidString.lowercased(), id.uuidString.uppercased(), "cus-\(fixture.team)"] {
                try await client.execute(uri: "/search?q=\(query)", method: .get, headers: fixture.headers()) { response in
                    #expect(response.text.contains("/cases/\(id.uuidString.lowercased())"), "\(query)")
                }
            }
            try await client.execute(uri: "/search?q=particular%20phrase%20\(fixture.team)", method: .get,
                                     headers: fixture.headers()) { response in
                #expect(response.text.contains("0 cases match"))
                #expect(!response.text.contains(theirs.uuidString.lowercased()))
            }
        }
    }

    @Test func theTimelineIsPaged() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        try fixture.database.query("""
            INSERT INTO ombud.case_events (case_id, at, stage, kind, detail)
            SELECT $1, now() + make_interval(secs => n), 'test', 'step', jsonb_build_object('n', n) FROM generate_series(1, 30) n
            """, [.uuid(id)])
        let path = "/cases/\(id.uuidString.lowercased())"
        try await fixture.app.test(.live) { client in
            // 30 events + the ticket + the escalation = 32: pages of 25.
            try await client.execute(uri: path, method: .get, headers: fixture.headers()) { response in
                #expect(response.text.contains("Timeline (32 events)"))
                #expect(response.text.contains("Page 1 of 2"))
                #expect(response.text.contains("href=\"\(path)?page=1#timeline\""))
                #expect(response.text.components(separatedBy: "<li class=\"event").count - 1 == 25)
            }
            try await client.execute(uri: path + "?page=1", method: .get, headers: fixture.headers()) { response in
                #expect(response.text.contains("Page 2 of 2"))
                #expect(response.text.components(separatedBy: "<li class=\"event").count - 1 == 7)
                #expect(response.text.contains("n: 30"))
            }
        }
    }

    @Test func theLedgerPanelShowsTheCustomersOrdersWithTheCasesOrderFirst() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        let customer = "led-\(fixture.team)", order = "ord-\(fixture.team)", older = "ord-old-\(fixture.team)"
        try fixture.database.execute(script: """
            INSERT INTO ledger.customers (id, name, email) VALUES ('\(customer)', 'Ada <Lovelace>', 'ada@example.com');
            INSERT INTO ledger.merchants (id, name) VALUES ('m-\(fixture.team)', 'Shoe & Co');
            INSERT INTO ledger.orders (id, customer_id, merchant_id, total, currency, created_at) VALUES
                ('\(older)', '\(customer)', 'm-\(fixture.team)', 10.00, 'EUR', now() - interval '40 days'),
                ('\(order)', '\(customer)', 'm-\(fixture.team)', 129.90, 'EUR', now() - interval '50 days');
            INSERT INTO ledger.payment_plans (id, order_id, kind) VALUES ('plan-\(fixture.team)', '\(order)', 'pay_in_3');
            INSERT INTO ledger.instalments (plan_id, n, amount, due, status) VALUES
                ('plan-\(fixture.team)', 1, 43.30, current_date - 20, 'overdue'),
                ('plan-\(fixture.team)', 2, 43.30, current_date + 10, 'pending');
            UPDATE ombud.cases SET customer_id = '\(customer)', order_id = '\(order)' WHERE id = '\(id.uuidString.lowercased())';
            """)
        try await fixture.app.test(.live) { client in
            try await client.execute(uri: "/cases/\(id.uuidString.lowercased())", method: .get, headers: fixture.headers()) { response in
                let html = response.text
                #expect(response.status == .ok)
                #expect(html.contains("Ada &lt;Lovelace&gt;"))
                #expect(html.contains("Shoe &amp; Co"))
                #expect(html.contains("129.9") && html.contains("EUR"))
                #expect(html.contains("#1 43.3"))
                #expect(html.contains("overdue"))
                // The case's order comes first, though it is the older one.
                let this = try #require(html.range(of: "\(order) (this case)"))
                let other = try #require(html.range(of: ">\(older)<"))
                #expect(this.lowerBound < other.lowerBound)
            }
        }
    }
}
