import AMQP
import Foundation
import OmbudCore
import OmbudLedger
import OmbudOperations
import Postgres
import Testing

/// 5,000 tickets while stage workers are SIGKILLed and restarted: every ticket reaches a final state, no action is
/// executed twice, no ticket gets two replies.
@Suite(.serialized) struct ReliabilityTests {
    @Test func killedStageWorkersLoseNothingAndActOnce() throws {
        let fixture = try FleetFixture(lanes: 1, batch: 32)
        let db = fixture.database
        let prefix = fixture.names.prefix
        // A queue standing in for the channels: every reply the fleet publishes.
        let repliesQueue = "\(prefix).test-replies"
        try fixture.admin.declareQueue(repliesQueue, durable: true, arguments: ["x-queue-type": .string("quorum")])
        try fixture.admin.bindQueue(repliesQueue, exchange: fixture.names.replies, routingKey: "reply.#")
        defer { try? fixture.admin.deleteQueue(repliesQueue) }

        // 1,000 customers, each with the ledger of one of the single-ticket scenarios, five tickets each.
        let scenarios = try ScenarioRunner.load(FleetEnvironment.repositoryRoot.appendingPathComponent("scenarios/policy.jsonl"))
            .filter { $0.tickets.count == 1 }
        let customers = 1000, ticketsPerCustomer = 5
        var bodies: [String] = []
        var ticketIds: [UUID] = []
        try db.transaction { db in
            for k in 0..<customers {
                let scenario = scenarios[k % scenarios.count]
                let ns = "\(prefix)-r\(k)-"
                try ScenarioLedgerLoader.load(scenario.ledger, namespace: ns, database: db)
                let ticket = scenario.tickets[0]
                for j in 0..<ticketsPerCustomer {
                    let externalId = "\(ns)\(j)"
                    var object: [String: Any] = [
                        "schema": "ombud.ticket.v1", "channel": ticket.channel, "external_id": externalId,
                        "customer": ["id": ns + (ticket.customer.id ?? scenario.ledger.customer.id),
                                     "locale": scenario.ledger.customer.locale ?? "en-GB"],
                        "body": ticket.body,
                        "received_at": ticket.receivedAt.adding(hours: j).description,
                    ]
                    if let ref = ticket.orderRef { object["order_ref"] = ns + ref }
                    bodies.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
                    ticketIds.append(MessageIds.ticket(channel: ticket.channel, externalId: externalId))
                }
            }
        }
        let total = bodies.count
        #expect(total == 5000)
        let idArray = PostgresValue.textArray(ticketIds.map(MessageIds.canonical))
        func finished() throws -> Int {
            try fixture.count("""
                SELECT count(*) FROM ombud.decisions d WHERE d.ticket_id = ANY($1::uuid[])
                  AND EXISTS (SELECT 1 FROM ombud.replies r WHERE r.ticket_id = d.ticket_id)
                  AND (d.outcome <> 'escalated' OR EXISTS (SELECT 1 FROM ombud.escalations e WHERE e.ticket_id = d.ticket_id))
                """, [idArray])
        }

        try fixture.publish(bodies, channel: "chat", messageIds: ticketIds.map { "ticket:\(MessageIds.canonical($0))" })
        // Kill a random stage every 1–3 s while the tickets flow, restart it after a moment.
        var generator = SystemRandomNumberGenerator()
        var kills: [String] = []
        let started = Date()
        while kills.count < 6, try finished() < total, Date().timeIntervalSince(started) < 240 {
            Thread.sleep(forTimeInterval: Double.random(in: 1...3, using: &generator))
            let stage = PipelineStage.allCases.randomElement(using: &generator)!
            fixture.fleet.kill(stage, signal: SIGKILL)
            kills.append("\(stage.rawValue)@\(try finished())")
            Thread.sleep(forTimeInterval: 0.3)
            try fixture.fleet.start(stage)
        }
        let done = try fixture.waitUntil(timeout: 300) { try finished() == total }
        print("reliability: \(total) tickets, kills \(kills.joined(separator: ", ")), finished \(try finished()) in \(Int(Date().timeIntervalSince(started))) s")
        #expect(kills.count >= 3, "the run ended before enough kills: \(kills)")
        let finishedCount = try finished()
        #expect(done, "finished \(finishedCount) of \(total)\nresolve log:\n\(fixture.logTail(.resolve))")

        // Exactly one decision and one recorded reply per ticket.
        #expect(try fixture.count("SELECT count(*) FROM ombud.decisions WHERE ticket_id = ANY($1::uuid[])", [idArray]) == total)
        #expect(try fixture.count("""
            SELECT count(*) FROM (SELECT ticket_id FROM ombud.replies WHERE ticket_id = ANY($1::uuid[])
                                  GROUP BY ticket_id HAVING count(*) > 1) twice
            """, [idArray]) == 0)
        // Every executed action is one ledger change: one applied_actions row per key, one refund per refund action.
        let executed = try fixture.count("""
            SELECT count(*) FROM ombud.actions a JOIN ombud.case_messages m ON m.ticket_id = a.ticket_id
            WHERE m.ticket_id = ANY($1::uuid[]) AND a.status = 'executed'
              AND a.kind IN ('refund_capture', 'pause_payments', 'waive_fee', 'freeze_account', 'apply_payment', 'extend_due_date')
            """, [idArray])
        let ledgerChanges = try fixture.count("""
            SELECT count(*) FROM ledger.applied_actions l JOIN ombud.actions a ON a.idempotency_key = l.idempotency_key
            WHERE a.ticket_id = ANY($1::uuid[])
            """, [idArray])
        #expect(executed > 0)
        #expect(ledgerChanges == executed)
        let refundActions = try fixture.count("""
            SELECT count(*) FROM ombud.actions WHERE ticket_id = ANY($1::uuid[]) AND kind = 'refund_capture' AND status = 'executed'
            """, [idArray])
        let refunds = try fixture.count("SELECT count(*) FROM ledger.refunds WHERE left(order_id, length($1)) = $1 AND id LIKE 'refund:%'",
                                        [.text(prefix + "-r")])
        #expect(refunds == refundActions)

        // On the broker: every ticket's reply arrived; a redelivered batch may re-send a reply, always with the same
        // message id, so a channel dedupes it — never a second, different reply.
        let consumer = try AMQPConsumer(url: try AMQPURL(FleetEnvironment.amqpURL), options: .init(name: "\(prefix)-replies"),
                                        queue: repliesQueue, prefetch: 500)
        defer { consumer.close() }
        var seen: [String: Int] = [:]
        var tickets: [String: Set<String>] = [:]
        while let delivery = try consumer.next(timeout: 2) {
            let id = delivery.properties.messageId ?? "?"
            seen[id, default: 0] += 1
            let reply = try MessageCoding.decode(ReplyV1.self, from: delivery.body)
            tickets[reply.externalId, default: []].insert(id)
            try consumer.ack(delivery.deliveryTag, multiple: false)
        }
        let resent = seen.values.reduce(0) { $0 + $1 - 1 }
        print("reliability: \(seen.count) distinct replies on the broker, \(resent) re-sent copies with the same message id")
        #expect(seen.count == total)
        #expect(tickets.count == total)
        #expect(tickets.values.allSatisfy { $0.count == 1 })
    }
}
