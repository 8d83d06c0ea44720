import AMQP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OmbudCore
@testable import OmbudConsole
import OmbudOperations
import OmbudTestSupport
import Postgres
import Testing

/// The console over HTTP (a live server on loopback, the login proxy's headers set by the test) against the real
/// database and broker: team scoping, CSRF, escaping, security headers, every action audited, the reply published.
@Suite struct ConsoleRouteTests {
    @Test func agentsSeeOnlyTheirTeamsCases() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let mine = try fixture.insertCase(priority: 1)
        let theirs = try fixture.insertCase(team: fixture.otherTeam, priority: 1)
        let mineId = mine.uuidString.lowercased(), theirsId = theirs.uuidString.lowercased()

        try await fixture.app.test(.live) { client in
            try await client.execute(uri: "/", method: .get, headers: fixture.headers()) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("/cases/\(mineId)"))
                #expect(!response.text.contains(theirsId))
            }
            // Another team's case: 404 on the page and on an action, and the case is untouched.
            try await client.execute(uri: "/cases/\(theirsId)", method: .get, headers: fixture.headers()) { response in
                #expect(response.status == .notFound)
                #expect(!response.text.contains("Hand-off summary"))
            }
            try await client.execute(uri: "/cases/\(theirsId)/claim", method: .post, headers: fixture.headers(form: true),
                                     body: ConsoleFixture.formBody(["csrf": fixture.token()])) { response in
                #expect(response.status == .notFound)
            }
            // Asking for another team's queue is refused, not silently emptied.
            try await client.execute(uri: "/?team=\(fixture.otherTeam)", method: .get, headers: fixture.headers()) { response in
                #expect(response.status == .forbidden)
            }
            // A supervisor sees every team.
            let supervisor = fixture.headers(agent: "sam@example.com", groups: "ombud-supervisors")
            try await client.execute(uri: "/cases/\(theirsId)", method: .get, headers: supervisor) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try fixture.status(theirs).status == "escalated")
        let refusals = try fixture.audit(theirs).filter { $0.agent == "ana@example.com" }
        #expect(refusals.map(\.action) == ["view", "claim"])
        #expect(refusals.allSatisfy { $0.outcome == "refused" })
    }

    @Test func postsWithoutTheSessionsCSRFTokenAreRefused() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        let path = "/cases/\(id.uuidString.lowercased())"

        try await fixture.app.test(.live) { client in
            try await client.execute(uri: path + "/claim", method: .post, headers: fixture.headers(form: true),
                                     body: ConsoleFixture.formBody([:])) { response in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("CSRF"))
            }
            // A token of another session (another browser) is refused too.
            let otherSession = CSRFProtection.newSession()
            try await client.execute(uri: path + "/claim", method: .post, headers: fixture.headers(form: true),
                                     body: ConsoleFixture.formBody(["csrf": fixture.services.csrf.token(agent: "ana@example.com",
                                                                                                         session: otherSession)])) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try fixture.status(id).status == "escalated")
            // The token the page carries works.
            let page = try await client.execute(uri: path, method: .get, headers: fixture.headers()) { $0.text }
            let token = try #require(page.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/)?.1)
            try await client.execute(uri: path + "/claim", method: .post, headers: fixture.headers(form: true),
                                     body: ConsoleFixture.formBody(["csrf": String(token)])) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == path + "?done=claimed")
            }
        }
        #expect(try fixture.status(id) == ("claimed", "ana@example.com"))
        let audit = try fixture.audit(id).filter { $0.action == "claim" }
        #expect(audit.map(\.outcome) == ["refused", "refused", "done"])
        #expect(audit[0].detail.contains("CSRF"))
    }

    @Test func customerTextIsEscapedAndPagesCarryTheSecurityHeaders() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let attack = "<script>alert(\"owned\")</script> & <img src=x onerror=alert(1)>"
        let id = try fixture.insertCase(body: attack, summary: "Customer says: \(attack)")

        try await fixture.app.test(.live) { client in
            try await client.execute(uri: "/cases/\(id.uuidString.lowercased())", method: .get, headers: fixture.headers()) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(!html.contains("<script>alert"))
                #expect(!html.contains("<img src=x"))
                #expect(html.contains("&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"))
                // The hand-off summary comes before everything else on the case.
                let summary = try #require(html.range(of: "Hand-off summary"))
                for later in ["id=\"state-h\"", "id=\"actions-h\"", "id=\"ledger-h\"", "id=\"notes-h\"", "id=\"timeline-h\""] {
                    #expect(try #require(html.range(of: later)).lowerBound > summary.upperBound)
                }
                #expect(!html.contains("<script>\n"), "no inline script")
                #expect(!html.contains("style=\""), "no inline style")
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.hasPrefix("default-src 'self'") == true)
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
            // Search finds it by text, and shows the text escaped too.
            try await client.execute(uri: "/search?q=onerror", method: .get, headers: fixture.headers()) { response in
                #expect(response.text.contains(id.uuidString.lowercased()))
                #expect(!response.text.contains("<img src=x"))
            }
            // Without the proxy's identity header: 401 with what to do.
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.text.contains("X-Forwarded-Email"))
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/static/console.js", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/javascript") == true)
                #expect(response.text.contains("EventSource(\"/events\")"))
            }
        }
    }

    @Test func claimNoteReplyAndCloseAreAuditedAndTheReplyIsPublished() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.finish() }
        let id = try fixture.insertCase(regulatoryDue: Date().addingTimeInterval(-10 * 3600 - 20 * 60))
        let path = "/cases/\(id.uuidString.lowercased())"
        // A channel's queue on the test's replies exchange.
        let broker = try AMQPConnection(url: try AMQPURL(TestServices.amqpURL), options: .init(name: "console-test"))
        defer { broker.close() }
        let repliesExchange = fixture.prefix + ".replies"
        try broker.declareExchange(repliesExchange, type: "topic", durable: false)
        let queue = fixture.prefix + ".chat"
        try broker.declareQueue(queue, durable: false, autoDelete: false)
        try broker.bindQueue(queue, exchange: repliesExchange, routingKey: "reply.chat")
        defer { try? broker.deleteQueue(queue); try? broker.deleteExchange(repliesExchange) }
        let nonce = String(CSRFProtection.newSession().prefix(32))
        let replyText = "Hello, we have <checked> your refund & it is on its way."

        try await fixture.app.test(.live) { client in
            try await client.execute(uri: "/", method: .get, headers: fixture.headers()) { response in
                // Minutes drift while a busy machine runs the test; the hours do not.
                #expect(response.text.contains(/overdue by 10h [0-9]+m/))
                #expect(response.text.contains("due-overdue"))
            }
            let post = { (action: String, fields: [String: String]) async throws -> TestResponse in
                try await client.execute(uri: path + "/" + action, method: .post, headers: fixture.headers(form: true),
                                         body: ConsoleFixture.formBody(fields.merging(["csrf": fixture.token()]) { a, _ in a }))
            }
            // Replying before claiming is refused.
            #expect(try await post("reply", ["text": replyText, "nonce": nonce]).status == .conflict)
            #expect(try await post("claim", [:]).headers[.location] == path + "?done=claimed")
            #expect(try await post("notes", ["body": "Checked the return with the merchant."]).headers[.location] == path + "?done=noted")
            #expect(try await post("notes", ["body": "   "]).status == .badRequest)
            #expect(try await post("reply", ["text": replyText, "nonce": nonce]).headers[.location] == path + "?done=replied")
            // The same form sent twice is one reply.
            #expect(try await post("reply", ["text": replyText, "nonce": nonce]).headers[.location] == path + "?done=duplicate")
            #expect(try await post("close", ["outcome": "nonsense"]).status == .badRequest)
            #expect(try await post("close", ["outcome": "refunded", "note": "refund confirmed"]).headers[.location] == path + "?done=closed")

            try await client.execute(uri: path, method: .get, headers: fixture.headers()) { response in
                #expect(response.text.contains("Checked the return with the merchant."))
                #expect(response.text.contains("Hello, we have &lt;checked&gt; your refund &amp; it is on its way."))
                #expect(response.text.contains("refunded"))
            }
        }

        // The reply went out once, as ombud.reply.v1 on the case's channel and thread.
        let consumer = try AMQPConsumer(url: try AMQPURL(TestServices.amqpURL), options: .init(name: "console-test-channel"),
                                        queue: queue, prefetch: 10)
        defer { consumer.close() }
        let delivery = try #require(try consumer.next(timeout: 5))
        try consumer.ack(delivery.deliveryTag)
        let reply = try MessageCoding.decode(ReplyV1.self, from: delivery.body)
        #expect(reply.schema == "ombud.reply.v1")
        #expect(reply.caseId == id)
        #expect(reply.text == replyText)
        #expect(reply.externalId == "ext-\(id)")
        #expect(reply.threadId == "thread-\(id)")
        #expect(delivery.routingKey == "reply.chat")
        #expect(delivery.properties.messageId == ReplyPublisher.messageId(caseId: id, nonce: nonce))
        #expect(try consumer.next(timeout: 1)?.body == nil)

        // Recorded on the case's timeline, and every action in the audit.
        let timeline = try AgentDesk(database: fixture.database).timeline(caseId: id)
        #expect(timeline.contains { $0.kind == "reply" && $0.stage == "agent" && $0.detail["text"]?.string == replyText })
        #expect(timeline.contains { $0.kind == "closed" })
        let audit = try fixture.audit(id).filter { $0.action != "view" }
        #expect(audit.map(\.action) == ["reply", "claim", "note", "note", "reply", "reply", "close", "close"])
        #expect(audit.map(\.outcome) == ["refused", "done", "done", "refused", "done", "done", "refused", "done"])
        #expect(try fixture.status(id).status == "closed")
    }

    @Test func aReplyTheBrokerDoesNotTakeIsNeitherRecordedNorLost() async throws {
        // Nothing listens on port 1: the publish fails.
        let fixture = try ConsoleFixture(amqpURL: "amqp://guest:guest@127.0.0.1:1/%2f")
        defer { fixture.finish() }
        let id = try fixture.insertCase()
        _ = try AgentDesk(database: fixture.database).claim(caseId: id, agent: "ana@example.com")
        let text = "Your refund of 25.00 EUR is confirmed."
        try await fixture.app.test(.live) { client in
            try await client.execute(uri: "/cases/\(id.uuidString.lowercased())/reply", method: .post,
                                     headers: fixture.headers(form: true),
                                     body: ConsoleFixture.formBody(["csrf": fixture.token(), "text": text,
                                                                    "nonce": String(CSRFProtection.newSession().prefix(32))])) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.text.contains(text))
            }
        }
        #expect(try fixture.database.query("SELECT 1 FROM ombud.replies WHERE case_id = $1", [.uuid(id)]).isEmpty)
        #expect(try fixture.audit(id).map { "\($0.action) \($0.outcome)" } == ["reply refused"])
    }
}
