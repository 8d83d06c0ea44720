import Foundation
import Testing
@testable import OmbudCore

private let caseA = UUID(uuidString: "3F2504E0-4F89-41D3-9A0C-0305E82C3301")!
private let caseB = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!

@Suite("Messages: deterministic ids")
struct MessagesIdsTests {
    @Test("stage ids are readable and depend on stage, case and ticket only")
    func stageIds() {
        let id = MessageIds.stage(caseId: caseA, stage: .classify, ticketId: "t-1")
        #expect(id == "classify:3f2504e0-4f89-41d3-9a0c-0305e82c3301:t-1")
        #expect(MessageIds.stage(caseId: caseA, stage: .classify, ticketId: "t-1") == id)
        #expect(MessageIds.stage(caseId: caseA, stage: .lookup, ticketId: "t-1") != id)
        #expect(MessageIds.stage(caseId: caseB, stage: .classify, ticketId: "t-1") != id)
        #expect(MessageIds.stage(caseId: caseA, stage: .classify, ticketId: "t-2") != id)
        #expect(StageEnvelopeV1(caseId: caseA, ticketId: "t-1", stage: .classify, trace: "x").messageId == id)
    }

    @Test("reply ids name the sending stage, so resolve and escalate never collide")
    func replyIds() {
        let resolve = MessageIds.reply(caseId: caseA, ticketId: "t-1", from: .resolve)
        #expect(resolve == "reply:resolve:3f2504e0-4f89-41d3-9a0c-0305e82c3301:t-1")
        #expect(MessageIds.reply(caseId: caseA, ticketId: "t-1", from: .escalate) != resolve)
        #expect(MessageIds.stage(caseId: caseA, stage: .resolve, ticketId: "t-1") != resolve)
    }

    @Test("long or unusual ticket ids are hashed into a bounded id", arguments: [
        String(repeating: "x", count: 65), "a:b", "ticket with spaces", "~abc", "ärende-1", String(repeating: "é", count: 5000),
    ])
    func hashedTicketIds(_ ticketId: String) {
        let id = MessageIds.stage(caseId: caseA, stage: .escalate, ticketId: ticketId)
        #expect(id.hasPrefix("escalate:3f2504e0-4f89-41d3-9a0c-0305e82c3301:~"))
        #expect(id.utf8.count <= 255)
        #expect(id == MessageIds.stage(caseId: caseA, stage: .escalate, ticketId: ticketId))
        #expect(id != MessageIds.stage(caseId: caseA, stage: .escalate, ticketId: ticketId + "1"))
    }

    @Test("ticket ids are name-based UUIDs of (channel, external_id)")
    func ticketIds() {
        let id = MessageIds.ticket(channel: "chat", externalId: "chat-88123")
        #expect(id == MessageIds.ticket(channel: "chat", externalId: "chat-88123"))
        #expect(id != MessageIds.ticket(channel: "email", externalId: "chat-88123"))
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        #expect(MessageIds.ticket(channel: "ab", externalId: "c") != MessageIds.ticket(channel: "a", externalId: "bc"))
        let text = MessageIds.canonical(id)
        #expect(text == text.lowercased())
        #expect(Array(text)[14] == "8")  // version 8
        #expect("89ab".contains(Array(text)[19]))  // RFC 9562 variant
    }

    @Test("SHA-256 matches FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(SHA256Digest.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
