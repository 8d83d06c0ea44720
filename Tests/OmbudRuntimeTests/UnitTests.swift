import AMQP
import Foundation
@testable import OmbudRuntime
import Postgres
import Testing

@Suite("Runtime logic (no I/O)")
struct RuntimeLogicTests {
    @Test func retryPolicyWalksTheTiersThenParks() {
        let policy = RetryPolicy.standard
        #expect(policy.decide(attempt: 0) == .retry(tier: policy.tiers[0], nextAttempt: 1))
        #expect(policy.decide(attempt: 3) == .retry(tier: policy.tiers[3], nextAttempt: 4))
        #expect(policy.decide(attempt: 4) == .park)
        #expect(policy.decide(attempt: -1) == .park)
    }

    @Test func failureKinds() {
        #expect(FailureKind.of(StageFailure.permanent("x")) == .permanent)
        #expect(FailureKind.of(StageFailure.transient("x")) == .transient)
        #expect(FailureKind.of(DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "bad"))) == .permanent)
    }

    @Test func transientFailureBecomesARetryBackToItsQueue() {
        let names = TopologyNames(prefix: "p")
        let message = StageMessage(messageId: "m1", correlationId: "c1", routingKey: "case.classify", body: Array("{}".utf8))
        let disposition = Disposition.forFailure(StageFailure.transient("db busy"), kind: .transient, message: message,
                                                 stage: "classify", names: names, retry: .standard)
        guard case .retry(let output) = disposition else { Issue.record("expected a retry, got \(disposition)"); return }
        #expect(output.exchange == "p.retry")
        #expect(output.routingKey == "1s")
        #expect(output.bcc == ["p.classify"])
        #expect(output.headers["x-ombud-attempt"] == "1")
        #expect(output.messageId == "m1")
    }

    @Test func exhaustedRetriesPark() {
        let names = TopologyNames(prefix: "p")
        let message = StageMessage(messageId: "m1", routingKey: "case.lookup", body: [], attempt: 4)
        let disposition = Disposition.forFailure(StageFailure.transient("still down"), kind: .transient, message: message,
                                                 stage: "lookup", names: names, retry: .standard)
        guard case .park(let failure, let reason, let output, _) = disposition else { Issue.record("expected park"); return }
        #expect(failure == "retries_exhausted")
        #expect(reason.contains("still down"))
        #expect(output.exchange == "p.parked" && output.routingKey == "lookup")
        #expect(output.headers["x-ombud-failure"] == "retries_exhausted")
    }

    @Test func messageIdsAreDeterministic() {
        var delivery = AMQPDelivery(deliveryTag: 1, exchange: "x", routingKey: "ticket.chat", redelivered: false,
                                    properties: AMQPProperties(), body: Array("{\"a\":1}".utf8))
        let derived = MessageIdentity.messageId(of: delivery)
        #expect(derived.hasPrefix("content-") && derived.count == 8 + 32)
        #expect(MessageIdentity.messageId(of: delivery) == derived)
        delivery.body = Array("{\"a\":2}".utf8)
        #expect(MessageIdentity.messageId(of: delivery) != derived)
        delivery.properties.messageId = "given"
        #expect(MessageIdentity.messageId(of: delivery) == "given")
    }

    @Test func hopIdsStayShort() {
        #expect(PassThroughStage.hopId("m1", "s2") == "m1>s2")
        #expect(PassThroughStage.hopId("m1>s2", "s3") == "m1>s3")
    }

    @Test func topologyHasDeadLetteringAndRetryTiers() {
        let topology = Topology.ombud()
        let classify = topology.queues.first { $0.name == "ombud.classify" }
        #expect(classify?.arguments["x-queue-type"] == .string("quorum"))
        #expect(classify?.arguments["x-dead-letter-exchange"] == .string("ombud.parked"))
        #expect(classify?.arguments["x-delivery-limit"] == .int(5))
        #expect(classify?.bindings.first?.exchange == "ombud.pipeline")
        #expect(topology.queues.first { $0.name == "ombud.intake" }?.bindings.first?.routingKey == "ticket.#")
        #expect(topology.queues.contains { $0.name == "ombud.retry.10m" && $0.arguments["x-message-ttl"] == .int(600_000) })
        #expect(topology.queues.contains { $0.name == "ombud.escalate.parked" })
        let classic = Topology.ombud(queueType: .classic).queues.first { $0.name == "ombud.classify" }
        #expect(classic?.arguments["x-queue-type"] == nil)
        #expect(topology.description.contains("ombud.retry.1s [x-dead-letter-exchange=\"\", x-message-ttl=1000]"))
    }

    @Test func workerOptionsResolveFlagsOverEnvironment() throws {
        let options = try WorkerOptions.parse(["--lanes", "3"])
        let resolved = try options.resolve(environment: ["OMBUD_LANES": "7", "OMBUD_BATCH": "16", "OMBUD_LOG_FORMAT": "text",
                                                         "OMBUD_AMQP_URL": "amqp://u:p@broker:5672/v"])
        #expect(resolved.lanes == 3)
        #expect(resolved.batch == 16)
        #expect(resolved.logFormat == .text)
        #expect(resolved.amqpURL.host == "broker")
        #expect(try WorkerOptions.parse([]).resolve(environment: [:]).batchWaitMilliseconds == 4)
        #expect(try WorkerOptions.parse([]).resolve(environment: ["OMBUD_BATCH_WAIT_MS": "12"]).batchWaitMilliseconds == 12)
        #expect(try WorkerOptions.parse(["--batch-wait", "0"]).resolve(environment: ["OMBUD_BATCH_WAIT_MS": "12"])
            .batchWaitMilliseconds == 0)
        #expect(throws: (any Error).self) { try WorkerOptions.parse([]).resolve(environment: ["OMBUD_BATCH_WAIT_MS": "-1"]) }
        #expect(throws: (any Error).self) { try WorkerOptions.parse([]).resolve(environment: ["OMBUD_BATCH": "zero"]) }
        #expect(throws: (any Error).self) { try WorkerOptions.parse([]).resolve(environment: ["OMBUD_LOG_FORMAT": "xml"]) }
    }

    @Test func secretsComeFromFiles() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try "postgresql://u:s3cret@db/ombud\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(OmbudEnvironment.value("OMBUD_DATABASE_URL", environment: ["OMBUD_DATABASE_URL_FILE": file.path]) == "postgresql://u:s3cret@db/ombud")
    }
}

@Suite("Migrations")
struct MigrationTests {
    @Test func migrationFilesAreOrderedAndNamed() throws {
        let migrator = try Migrator.load(directory: TestEnvironment.repositoryRoot.appendingPathComponent("migrations"))
        #expect(migrator.migrations.first?.version == 1)
        #expect(migrator.migrations.map(\.version) == migrator.migrations.map(\.version).sorted())
    }

    @Test func rerunningIsANoOpAndTheCoreTablesExist() throws {
        try TestEnvironment.migrated.get()
        let database = try PostgresConnection(TestEnvironment.databaseURL)
        defer { database.close() }
        let migrator = try Migrator.load(directory: TestEnvironment.repositoryRoot.appendingPathComponent("migrations"))
        #expect(try migrator.migrate(database).isEmpty)
        for table in ["cases", "case_events", "stage_receipts", "parked_messages"] {
            let rows = try database.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ombud' AND table_name = $1", [.text(table)])
            #expect(try rows[0].decode(Int.self, column: 0) == 1, "ombud.\(table)")
        }
    }

    @Test func anEditedMigrationIsRefused() throws {
        try TestEnvironment.migrated.get()
        let database = try PostgresConnection(TestEnvironment.databaseURL)
        defer { database.close() }
        var migrations = try Migrator.load(directory: TestEnvironment.repositoryRoot.appendingPathComponent("migrations")).migrations
        migrations[0].sql += "\n-- edited"
        #expect(throws: MigrationError.self) { try Migrator(migrations: migrations).migrate(database) }
    }
}

@Suite("Receipt JSON")
struct ReceiptJSONTests {
    @Test func roundTripsThroughJSONDecoder() throws {
        let outputs = [
            OutboundMessage(exchange: "ombud.pipeline", routingKey: "case.lookup", messageId: "c1:lookup", correlationId: "c1",
                            body: "{\"text\":\"line1\\nline2 \\\"quoted\\\" \\\\ tab\\t ünïcødé 🙂\",\"ctl\":\"\u{01}\"}",
                            headers: ["x-ombud-attempt": "2", "note": "a\"b\\c\nd"], bcc: ["ombud.lookup"]),
            OutboundMessage(exchange: "ombud.replies", routingKey: "reply.chat", messageId: "c1:reply", body: "plain\r\n\u{1F}"),
        ]
        let json = try ReceiptJSON.encode(outputs)
        let decoded = try JSONDecoder().decode([OutboundMessage].self, from: Data(json.utf8))
        #expect(decoded == outputs)
        #expect(try ReceiptJSON.encode([]) == "[]")
    }
}
