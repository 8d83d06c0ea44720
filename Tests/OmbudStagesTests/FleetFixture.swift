import AMQP
import Foundation
import OmbudCore
import OmbudOperations
import OmbudRuntime
import OmbudTestSupport
import Postgres
import Testing

/// Settings of the real broker and database (deploy/local/test exports them).
enum FleetEnvironment {
    static let amqpURL = TestServices.amqpURL
    static let databaseURL = TestServices.databaseURL
    static let repositoryRoot = TestServices.repositoryRoot

    static let migrated: Result<Void, any Error> = Result {
        try TestServices.migrate()
        let database = try PostgresConnection(databaseURL)
        defer { database.close() }
        // A login per stage that is nothing but a member of that stage's role: the fleet tests run every stage
        // with only the privileges migration 0005 grants it.
        try database.execute(script: """
            DO $$
            DECLARE stage text;
            BEGIN
                FOREACH stage IN ARRAY ARRAY['intake', 'classify', 'lookup', 'resolve', 'escalate'] LOOP
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ombud_test_' || stage) THEN
                        EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', 'ombud_test_' || stage, 'ombud_' || stage);
                    END IF;
                END LOOP;
            END $$;
            """)
    }

    /// The database URL with the stage's test login as the user (the local server trusts loopback logins).
    static func stageDatabaseURL(_ stage: PipelineStage) -> String {
        guard var components = URLComponents(string: databaseURL), components.scheme?.hasPrefix("postgres") == true else {
            return databaseURL + " user=ombud_test_\(stage.rawValue)"
        }
        components.user = "ombud_test_\(stage.rawValue)"
        components.password = nil
        return components.string ?? databaseURL
    }
}

/// The five stage processes on a topology of their own (a fresh prefix, deleted at the end), plus a database
/// connection and a publisher for the test.
final class FleetFixture {
    let names: TopologyNames
    let topology: Topology
    let admin: AMQPConnection
    let database: PostgresConnection
    let publisher: AMQPPublisher
    let fleet: FleetProcesses

    init(lanes: Int = 1, batch: Int = 32, start: Bool = true) throws {
        try FleetEnvironment.migrated.get()
        let url = try AMQPURL(FleetEnvironment.amqpURL)
        names = TopologyNames(prefix: "f-" + UUID().uuidString.prefix(8).lowercased())
        topology = Topology.ombud(names: names)
        admin = try AMQPConnection(url: url, options: .init(name: "test-admin-\(names.prefix)"))
        try topology.declare(on: admin)
        database = try PostgresConnection(FleetEnvironment.databaseURL, applicationName: "test-\(names.prefix)")
        publisher = try AMQPPublisher(url: url, options: .init(name: "test-publisher-\(names.prefix)"))
        guard let executables = FleetProcesses.locateExecutables(
            near: URL(fileURLWithPath: CommandLine.arguments[0]), root: FleetEnvironment.repositoryRoot) else {
            throw TestSetupError("the stage executables are not built (swift build --build-tests builds them)")
        }
        fleet = FleetProcesses(.init(
            executables: executables, amqpURL: FleetEnvironment.amqpURL, databaseURL: FleetEnvironment.databaseURL,
            prefix: names.prefix, lanes: Dictionary(uniqueKeysWithValues: PipelineStage.allCases.map { ($0, lanes) }),
            batch: batch, logDirectory: FileManager.default.temporaryDirectory,
            policyFile: FleetEnvironment.repositoryRoot.appendingPathComponent("policy/policy.json").path,
            stageDatabaseURLs: Dictionary(uniqueKeysWithValues: PipelineStage.allCases.map { ($0, FleetEnvironment.stageDatabaseURL($0)) })))
        if start { try fleet.startAll() }
    }

    deinit {
        fleet.stop(timeout: 10)
        try? topology.delete(on: admin)
        publisher.close()
        admin.close()
        database.close()
    }

    /// Publishes raw ticket bodies to `ombud.tickets` with confirms; message ids `<prefix>-<n>` unless given.
    func publish(_ bodies: [String], channel: String = "chat", messageIds: [String]? = nil) throws {
        for (n, body) in bodies.enumerated() {
            var properties = AMQPProperties()
            properties.contentType = "application/json"
            properties.persistent = true
            properties.messageId = messageIds?[n] ?? "\(names.prefix)-\(n)"
            try publisher.publish(exchange: names.tickets, routingKey: "ticket.\(channel)", body: Array(body.utf8),
                                  properties: properties)
            if n % 500 == 499 { try publisher.waitForConfirms(timeout: 30) }
        }
        try publisher.waitForConfirms(timeout: 30)
    }

    func count(_ sql: String, _ params: [PostgresValue] = []) throws -> Int {
        try database.query(sql, params)[0].decode(Int.self, column: 0)
    }

    @discardableResult
    func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        try OmbudTestSupport.waitUntil(timeout: timeout, condition)
    }

    /// The tail of a stage's log, for failure messages.
    func logTail(_ stage: PipelineStage, lines: Int = 15) -> String {
        let text = (try? String(contentsOf: fleet.logURL(stage), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// A ticket in `ombud.ticket.v1` JSON with ids unique to this fixture.
    func ticket(_ externalId: String, customer: String, body: String, at receivedAt: String = "2026-11-03T08:00:00Z",
                orderRef: String? = nil, threadId: String? = nil, locale: String = "en-GB") -> String {
        var object: [String: Any] = [
            "schema": "ombud.ticket.v1", "channel": "chat", "external_id": "\(names.prefix)-\(externalId)",
            "customer": ["id": customer, "locale": locale], "body": body, "received_at": receivedAt,
        ]
        if let orderRef { object["order_ref"] = orderRef }
        if let threadId { object["thread_id"] = "\(names.prefix)-\(threadId)" }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func ticketId(_ externalId: String, channel: String = "chat") -> UUID {
        MessageIds.ticket(channel: channel, externalId: "\(names.prefix)-\(externalId)")
    }
}
