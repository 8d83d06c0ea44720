import Foundation
import Testing
import OmbudCore

private func object(_ bytes: [UInt8]) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}

private let caseId = UUID(uuidString: "3F2504E0-4F89-41D3-9A0C-0305E82C3301")!

@Suite("Messages: coding")
struct MessagesCodingTests {
    @Test("ombud.ticket.v1 round-trips with snake_case keys")
    func ticketRoundTrip() throws {
        let ticket = TicketV1(channel: "chat", externalId: "chat-88123", threadId: "conv-551",
                              customer: .init(id: "cus_123", email: "a@example.com", locale: "de-DE"),
                              subject: "Doppelt", body: "Zweimal belastet – 89,90 €", orderRef: "o1",
                              receivedAt: RFC3339Timestamp.parse("2026-11-20T12:00:00.125Z")!,
                              attachments: [.init(name: "a.jpg", contentType: "image/jpeg", size: 1234)])
        let bytes = try MessageCoding.encode(ticket)
        #expect(try MessageCoding.decode(TicketV1.self, from: bytes) == ticket)
        let json = try object(bytes)
        #expect(Set(json.keys) == ["schema", "channel", "external_id", "thread_id", "customer", "subject", "body",
                                   "order_ref", "received_at", "attachments"])
        #expect(json["schema"] as? String == "ombud.ticket.v1")
        #expect(json["received_at"] as? String == "2026-11-20T12:00:00.125Z")
        let attachment = try #require((json["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["content_type"] as? String == "image/jpeg")
    }

    @Test("absent optionals are omitted, not encoded as null")
    func ticketOmitsAbsentOptionals() throws {
        let ticket = TicketV1(channel: "email", externalId: "e-1", customer: .init(email: "a@example.com"),
                              body: "hi", receivedAt: Date(timeIntervalSince1970: 0))
        let json = try object(try MessageCoding.encode(ticket))
        #expect(json["thread_id"] == nil && json["subject"] == nil && json["order_ref"] == nil)
        #expect((json["attachments"] as? [Any])?.isEmpty == true)
        #expect(json["received_at"] as? String == "1970-01-01T00:00:00Z")
    }

    @Test("DESIGN.md's example ticket decodes, unknown fields ignored at every level")
    func designExampleDecodes() throws {
        let text = """
        {"schema": "ombud.ticket.v1", "channel": "chat", "external_id": "chat-88123",
         "thread_id": "conv-551", "customer": {"id": "cus_123", "email": "a@example.com", "locale": "de-DE", "tier": "gold"},
         "subject": "optional", "body": "text, at most 16 KiB", "order_ref": "optional",
         "received_at": "2026-11-20T12:00:00Z", "attachments": [{"name": "a.jpg", "content_type": "image/jpeg", "size": 1234, "sha256": "00"}],
         "x_channel_meta": {"nested": [1, 2, {"deep": true}]}}
        """
        let ticket = try MessageCoding.decode(TicketV1.self, from: Array(text.utf8))
        #expect(ticket.externalId == "chat-88123" && ticket.threadId == "conv-551")
        #expect(ticket.customer == .init(id: "cus_123", email: "a@example.com", locale: "de-DE"))
        #expect(ticket.attachments == [.init(name: "a.jpg", contentType: "image/jpeg", size: 1234)])
        #expect(ticket.receivedAt == RFC3339Timestamp.parse("2026-11-20T12:00:00Z"))
        #expect(try TicketValidation.validate(Array(text.utf8)).get() == ticket)
    }

    /// POLICY.md's scenario line: its tickets have no `schema` and no `attachments`.
    @Test("POLICY.md's example scenario tickets decode and validate")
    func policyExampleTicketsDecode() throws {
        struct Scenario: Decodable { var name: String; var tickets: [TicketV1] }
        let line = """
        {"name": "duplicate capture refunded", "ledger": {"customer": {"id": "c1", "name": "Anna Berg", "email": "anna@example.com", "locale": "sv-SE", "status": "active"}, "orders": [], "payments": []},
         "tickets": [{"channel": "chat", "external_id": "t1", "customer": {"id": "c1"},
                      "body": "Hi, I was charged twice for my shoes from Nordic Shoes, 89.90 each time.",
                      "received_at": "2026-11-03T08:00:00Z"}],
         "expect": {"intent": "duplicate_charge", "outcome": "auto_resolved", "actions": ["refund_capture"]}}
        """
        let scenario = try JSONDecoder().decode(Scenario.self, from: Data(line.utf8))
        let ticket = try #require(scenario.tickets.first)
        #expect(ticket.schema == MessageSchema.ticketV1)
        #expect(ticket.customer.id == "c1" && ticket.customer.email == nil)
        #expect(ticket.attachments.isEmpty)
        #expect(try TicketValidation.validate(ticket).get() == ticket)
        let published = #"{"channel": "chat", "external_id": "t1", "customer": {"id": "c1"}, "body": "Hi, I was charged twice for my shoes from Nordic Shoes, 89.90 each time.", "received_at": "2026-11-03T08:00:00Z"}"#
        #expect(try TicketValidation.validate(Array(published.utf8)).get() == ticket)
    }

    @Test("ombud.stage.v1 round-trips; case ids are lower-case on the wire")
    func stageRoundTrip() throws {
        let envelope = StageEnvelopeV1(caseId: caseId, ticketId: "t-1", stage: .classify, trace: "4bf92f3577b34da6")
        let bytes = try MessageCoding.encode(envelope)
        #expect(try MessageCoding.decode(StageEnvelopeV1.self, from: bytes) == envelope)
        #expect(String(decoding: bytes, as: UTF8.self) == """
        {"schema":"ombud.stage.v1","case_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","ticket_id":"t-1","stage":"classify","trace":"4bf92f3577b34da6"}
        """)
    }

    @Test("ombud.stage.v1 ignores unknown fields and accepts upper-case case ids")
    func stageLenientDecoding() throws {
        let text = #"{"schema":"ombud.stage.v1","case_id":"3F2504E0-4F89-41D3-9A0C-0305E82C3301","ticket_id":"t-1","stage":"lookup","trace":"x","hop":3}"#
        let envelope = try MessageCoding.decode(StageEnvelopeV1.self, from: Array(text.utf8))
        #expect(envelope.caseId == caseId && envelope.stage == .lookup)
    }

    @Test("ombud.stage.v1 with an unknown stage or a bad case id does not decode")
    func stageRejectsGarbage() {
        let badStage = #"{"schema":"ombud.stage.v1","case_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","ticket_id":"t","stage":"refund","trace":""}"#
        let badId = #"{"schema":"ombud.stage.v1","case_id":"case-1","ticket_id":"t","stage":"lookup","trace":""}"#
        #expect(throws: DecodingError.self) { try MessageCoding.decode(StageEnvelopeV1.self, from: Array(badStage.utf8)) }
        #expect(throws: DecodingError.self) { try MessageCoding.decode(StageEnvelopeV1.self, from: Array(badId.utf8)) }
    }

    @Test("a message claiming another schema does not decode")
    func wrongSchemaRefused() {
        let stage = #"{"schema":"ombud.stage.v2","case_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","ticket_id":"t","stage":"lookup","trace":""}"#
        let reply = #"{"schema":"ombud.ticket.v1","case_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","channel":"chat","external_id":"e","language":"en","outcome":"escalated","text":"t"}"#
        let ticket = #"{"schema":"ombud.reply.v1","channel":"chat","external_id":"e","customer":{"id":"c"},"body":"b","received_at":"2026-11-20T12:00:00Z"}"#
        let noSchema = #"{"case_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","ticket_id":"t","stage":"lookup","trace":""}"#
        #expect(throws: DecodingError.self) { try MessageCoding.decode(StageEnvelopeV1.self, from: Array(stage.utf8)) }
        #expect(throws: DecodingError.self) { try MessageCoding.decode(ReplyV1.self, from: Array(reply.utf8)) }
        #expect(throws: DecodingError.self) { try MessageCoding.decode(TicketV1.self, from: Array(ticket.utf8)) }
        #expect(throws: DecodingError.self) { try MessageCoding.decode(StageEnvelopeV1.self, from: Array(noSchema.utf8)) }
    }

    @Test("ombud.reply.v1 round-trips with snake_case keys and outcome names")
    func replyRoundTrip() throws {
        let reply = ReplyV1(caseId: caseId, channel: "chat", externalId: "chat-88123", threadId: "conv-551",
                            language: "sv", outcome: .autoResolved, text: "Vi har återbetalat 89,90 €.",
                            actions: [.init(kind: "refund_capture", target: "k2", idempotencyKey: "case:refund_capture:k2")])
        let bytes = try MessageCoding.encode(reply)
        #expect(try MessageCoding.decode(ReplyV1.self, from: bytes) == reply)
        let json = try object(bytes)
        #expect(Set(json.keys) == ["schema", "case_id", "channel", "external_id", "thread_id", "language", "outcome",
                                   "text", "actions"])
        #expect(json["outcome"] as? String == "auto_resolved")
        let action = try #require((json["actions"] as? [[String: Any]])?.first)
        #expect(action["idempotency_key"] as? String == "case:refund_capture:k2")
        #expect(reply.routingKey == "reply.chat")
        #expect(ReplyV1.Outcome.allCases.map(\.rawValue) == ["auto_resolved", "needs_info", "escalated"])
    }

    @Test("ombud.reply.v1 ignores unknown fields; actions may be absent")
    func replyLenientDecoding() throws {
        let text = #"{"schema":"ombud.reply.v1","case_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","channel":"email","external_id":"e1","language":"en","outcome":"needs_info","text":"Which order?","model":"v7"}"#
        let reply = try MessageCoding.decode(ReplyV1.self, from: Array(text.utf8))
        #expect(reply.outcome == .needsInfo && reply.actions.isEmpty && reply.threadId == nil)
    }

    @Test("encoding is deterministic: same message, same bytes")
    func encodingIsDeterministic() throws {
        let reply = ReplyV1(caseId: caseId, channel: "app", externalId: "a/1", language: "en", outcome: .escalated,
                            text: "An agent will reply within 4 hours.")
        let first = try MessageCoding.encode(reply)
        #expect(try MessageCoding.encode(reply) == first)
        #expect(String(decoding: first, as: UTF8.self).contains(#""external_id":"a/1""#))
    }
}

@Suite("Messages: RFC 3339 timestamps")
struct MessagesTimestampTests {
    @Test("offsets, fractions and lower-case separators parse to the same instant")
    func parsesVariants() throws {
        let utc = try #require(RFC3339Timestamp.parse("2026-11-20T12:00:00Z"))
        #expect(utc.timeIntervalSince1970 == 1_795_176_000)
        #expect(RFC3339Timestamp.parse("2026-11-20T13:00:00+01:00") == utc)
        #expect(RFC3339Timestamp.parse("2026-11-20t07:30:00-04:30z") == nil)
        #expect(RFC3339Timestamp.parse("2026-11-20t07:30:00-04:30") == utc)
        #expect(RFC3339Timestamp.parse("2026-11-20T12:00:00.5Z")?.timeIntervalSince1970 == 1_795_176_000.5)
        #expect(RFC3339Timestamp.parse("2024-02-29T00:00:00Z") != nil)
    }

    @Test("invalid date-times are refused", arguments: [
        "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-20T24:00:00Z",
        "2026-11-20T12:00:60Z", "2026-11-20T12:00:00", "2026-11-20 12:00:00Z", "2026-11-20T12:00:00.Z",
        "2026-11-20T12:00:00+0100", "20261120T120000Z", "yesterday", "", "2026-11-20T12:00:00Zjunk",
    ])
    func refusesInvalid(_ text: String) {
        #expect(RFC3339Timestamp.parse(text) == nil)
    }

    @Test("format prints UTC with microseconds only when there is a fraction")
    func formats() throws {
        #expect(RFC3339Timestamp.format(Date(timeIntervalSince1970: 1_795_176_000)) == "2026-11-20T12:00:00Z")
        let precise = try #require(RFC3339Timestamp.parse("2026-11-20T12:00:00.123456Z"))
        #expect(RFC3339Timestamp.format(precise) == "2026-11-20T12:00:00.123456Z")
        #expect(RFC3339Timestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(RFC3339Timestamp.format(RFC3339Timestamp.parse("2000-02-29T23:59:59.25+00:00")!) == "2000-02-29T23:59:59.25Z")
    }
}
