import AMQP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import OmbudConsole
import OmbudRuntime
import OmbudTestSupport
import Postgres

/// One test's console against the real database and broker: its own teams (`t-<uuid8>`), cases with a ticket and a
/// hand-off, the console's services (replies go to an exchange under the test's own topology prefix) and helpers to
/// send requests as an agent through the loopback "proxy" (the headers a login proxy would set).
final class ConsoleFixture: @unchecked Sendable {
    let team = "t-" + UUID().uuidString.prefix(8).lowercased()
    let otherTeam = "t-" + UUID().uuidString.prefix(8).lowercased()
    let prefix = "console-test-" + UUID().uuidString.prefix(8).lowercased()
    let database: PostgresConnection
    let services: ConsoleServices
    let session = CSRFProtection.newSession()
    private(set) var cases: [UUID] = []

    /// The console connects as a login that is only a member of `ombud_console` (agent rights and the ledger), as in
    /// production.
    static let agentLoginURL: Result<String, any Error> = Result {
        try TestServices.migrate()
        let db = try PostgresConnection(TestServices.databaseURL, applicationName: "console-test-setup")
        defer { db.close() }
        try db.query("""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ombud_console_test') THEN
                    CREATE ROLE ombud_console_test LOGIN IN ROLE ombud_console;
                END IF;
            END $$
            """)
        // Roles outlive a database reset; make sure an older test login has the console's role.
        try db.query("GRANT ombud_console TO ombud_console_test")
        guard var components = URLComponents(string: TestServices.databaseURL) else {
            throw TestSetupError("OMBUD_DATABASE_URL is not a URL: \(TestServices.databaseURL)")
        }
        components.user = "ombud_console_test"
        components.password = nil
        return components.string!
    }

    init(amqpURL: String = TestServices.amqpURL) throws {
        let agentURL = try Self.agentLoginURL.get()
        database = try PostgresConnection(TestServices.databaseURL, applicationName: "console-test")
        var logger = Logger(label: "console-test")
        logger.logLevel = .warning
        services = ConsoleServices(
            database: ConsoleDatabase(url: agentURL, size: 2),
            publisher: ReplyPublisher(url: amqpURL, names: TopologyNames(prefix: prefix)),
            events: CaseEvents(databaseURL: agentURL, logger: logger),
            csrf: CSRFProtection(secret: "console-test-secret"),
            identity: IdentitySettings(secureCookies: false), logger: logger)
    }

    var app: some ApplicationProtocol {
        Application(router: ConsoleRoutes.router(services),
                    configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: services.logger)
    }

    /// An escalated case with one ticket (`body`) and its hand-off summary.
    @discardableResult
    func insertCase(team: String? = nil, priority: Int = 2, due: Date = Date().addingTimeInterval(2 * 3600),
                    regulatoryDue: Date? = nil, body: String = "I returned the shoes and want my money back.",
                    summary: String = "Customer wants a refund for returned shoes.\nOrder: none found.") throws -> UUID {
        let id = UUID()
        let ticket = UUID()
        let team = team ?? self.team
        try database.query("""
            INSERT INTO ombud.cases (id, status, stage, channel, customer_ref, intent, intent_confidence, language,
                                     priority, team, sla_due_at, regulatory_due_at, outcome, rule)
            VALUES ($1, 'escalated', 'escalate', 'chat', $2, 'refund_status', 0.91, 'en', $3, $4, $5, $6, 'escalated', 'test')
            """, [.uuid(id), .text("cus-\(team)"), .int(Int64(priority)), .text(team), .timestamp(due),
                  regulatoryDue.map(PostgresValue.timestamp) ?? .null])
        try database.query("""
            INSERT INTO ombud.case_messages (ticket_id, case_id, channel, external_id, thread_id, body, language, received_at)
            VALUES ($1, $2, 'chat', $3, $4, $5, 'en', now() - interval '2 minutes')
            """, [.uuid(ticket), .uuid(id), .text("ext-\(id)"), .text("thread-\(id)"), .text(body)])
        try database.query("""
            INSERT INTO ombud.escalations (ticket_id, case_id, team, priority, language, first_response_due, reason,
                                           summary, summary_text)
            VALUES ($1, $2, $3, $4, 'en', $5, 'refund overdue', '{}', $6)
            """, [.uuid(ticket), .uuid(id), .text(team), .int(Int64(priority)), .timestamp(due), .text(summary)])
        cases.append(id)
        return id
    }

    func headers(agent: String = "ana@example.com", groups: String? = nil, session: String? = nil,
                 form: Bool = false) -> HTTPFields {
        var fields: HTTPFields = [:]
        fields[HTTPField.Name("X-Forwarded-Email")!] = agent
        fields[HTTPField.Name("X-Forwarded-Groups")!] = groups ?? "ombud-team-\(team)"
        fields[.cookie] = "\(CSRFProtection.cookieName)=\(session ?? self.session)"
        if form { fields[.contentType] = "application/x-www-form-urlencoded" }
        return fields
    }

    func token(agent: String = "ana@example.com") -> String { services.csrf.token(agent: agent, session: session) }

    static func formBody(_ fields: [String: String]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&"))
    }

    func status(_ id: UUID) throws -> (status: String, assignee: String?) {
        let row = try database.query("SELECT status, assignee FROM ombud.cases WHERE id = $1", [.uuid(id)])[0]
        return (try row.decode(String.self, column: 0), try row.decode(String?.self, column: 1))
    }

    func audit(_ id: UUID) throws -> [(action: String, outcome: String, agent: String, detail: String)] {
        try database.query("SELECT action, outcome, agent, detail::text FROM ombud.agent_audit WHERE case_id = $1 ORDER BY id",
                           [.uuid(id)]).map {
            (try $0.decode(String.self, column: 0), try $0.decode(String.self, column: 1), try $0.decode(String.self, column: 2),
             try $0.decode(String.self, column: 3))
        }
    }

    func finish() {
        _ = try? database.query("""
            UPDATE ombud.cases SET status = 'closed', closed_at = coalesce(closed_at, now()),
                   close_outcome = coalesce(close_outcome, 'duplicate'), close_note = coalesce(close_note, 'test cleanup')
            WHERE id = ANY($1::uuid[]) AND status <> 'closed'
            """, [.textArray(cases.map { $0.uuidString })])
        services.events.stop()
        services.publisher.close()
        services.database.close()
        database.close()
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
