import Foundation
import OmbudCore
import Postgres
import Testing

/// A channel corrects a ticket it sent (same channel and external_id, so the same message id, new content): the
/// corrected ticket must not vanish behind the parked receipt of the first one.
@Suite(.serialized) struct ResubmissionTests {
    @Test func aCorrectedResubmissionOfAParkedTicketIsProcessedAndAnExactRedeliveryIsNot() throws {
        let fixture = try FleetFixture()
        let customer = try FleetBehaviourTests.customer(fixture)
        let externalId = "\(fixture.names.prefix)-fix"
        let messageId = "ticket:chat:\(externalId)"
        let stage = fixture.names.queue(stage: "intake")
        let parkedQueue = fixture.names.parkedQueue(stage: "intake")
        func ticket(_ fields: [String: Any]) -> String {
            var object: [String: Any] = ["schema": "ombud.ticket.v1", "channel": "chat", "external_id": externalId,
                                         "customer": ["id": customer, "locale": "en-GB"],
                                         "body": "I was charged twice for my Nordic Shoes order, 89.90 each time.",
                                         "received_at": "2026-11-03T08:00:00Z"]
            for (key, value) in fields { object[key] = value }
            return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let badDate = ticket(["received_at": "yesterday"])
        var noBody = ticket([:])
        noBody = noBody.replacingOccurrences(of: #""body":"I was charged twice for my Nordic Shoes order, 89.90 each time.","#, with: "")
        let corrected = ticket([:])
        func parked() throws -> (reason: String, parkedAt: Date, replayed: Bool, body: String)? {
            try fixture.database.query(
                "SELECT reason, parked_at, replayed_at IS NOT NULL, body FROM ombud.parked_messages WHERE stage = $1 AND message_id = $2",
                [.text(stage), .text(messageId)]).first.map {
                (try $0.decode(String.self, column: 0), try $0.decode(Date.self, column: 1), try $0.decode(Bool.self, column: 2),
                 String(decoding: try $0.decode([UInt8].self, column: 3), as: UTF8.self))
            }
        }
        func receiptOutcome() throws -> String? {
            try fixture.database.query("SELECT outcome FROM ombud.stage_receipts WHERE stage = $1 AND message_id = $2",
                                       [.text(stage), .text(messageId)]).first.map { try $0.decode(String.self, column: 0) }
        }
        func parkedQueueDepth() throws -> Int { Int(try fixture.admin.queueCounts(parkedQueue).messageCount) }

        // The first version is invalid: parked with its reason.
        try fixture.publish([badDate], messageIds: [messageId])
        #expect(try fixture.waitUntil(timeout: 60) { try parked()?.reason.contains("received_at") == true },
                "intake log:\n\(fixture.logTail(.intake))")
        let first = try #require(try parked())

        // The same body again (a redelivery, a channel retry): still a duplicate, not parked a second time. The
        // duplicate re-publishes its recorded output, the parked copy, so the parked queue shows it was answered.
        try fixture.publish([badDate], messageIds: [messageId])
        #expect(try fixture.waitUntil(timeout: 30) { try parkedQueueDepth() == 2 })
        #expect(try parked()?.parkedAt == first.parkedAt, "an exact redelivery must not be parked again")
        #expect(try receiptOutcome() == "parked")

        // Another body, invalid in another way: parked again, with its own reason and body.
        try fixture.publish([noBody], messageIds: [messageId])
        #expect(try fixture.waitUntil(timeout: 30) { try parked()?.reason.contains("body") == true && parkedQueueDepth() == 3 },
                "intake log:\n\(fixture.logTail(.intake))")
        #expect(try parked()?.body == noBody)
        #expect(try parked()?.replayed == false)

        // The corrected ticket: processed into a case and through the pipeline; the parked row stops waiting.
        try fixture.publish([corrected], messageIds: [messageId])
        let ticketId = fixture.ticketId("fix")
        #expect(try fixture.waitUntil(timeout: 60) {
            try fixture.count("SELECT count(*) FROM ombud.decisions WHERE ticket_id = $1", [.uuid(ticketId)]) == 1
        }, "intake log:\n\(fixture.logTail(.intake))")
        #expect(try fixture.count("SELECT count(*) FROM ombud.case_messages WHERE ticket_id = $1 AND body LIKE '%charged twice%'",
                                  [.uuid(ticketId)]) == 1)
        #expect(try receiptOutcome() == "processed")
        #expect(try parked()?.replayed == true)

        // The invalid first version once more, after the correction: a processed message stays processed.
        try fixture.publish([badDate], messageIds: [messageId])
        Thread.sleep(forTimeInterval: 2)
        #expect(try receiptOutcome() == "processed")
        #expect(try parked()?.replayed == true)
        #expect(try fixture.count("SELECT count(*) FROM ombud.case_messages WHERE ticket_id = $1", [.uuid(ticketId)]) == 1)
    }
}
