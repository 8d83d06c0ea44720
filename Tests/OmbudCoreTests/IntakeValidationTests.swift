import Foundation
import Testing
import OmbudCore

/// A valid ticket as a JSON object; each case below changes one thing. The body and ids carry a marker that no
/// rejection may echo.
private func baseTicket() -> [String: Any] {
    ["schema": "ombud.ticket.v1", "channel": "chat", "external_id": "chat-SECRET-1", "thread_id": "conv-551",
     "customer": ["id": "cus_123", "email": "anna@example.com", "locale": "sv-SE"] as [String: Any],
     "subject": "Charged twice", "body": "My card 4111 1111 1111 1111 SECRET was charged twice.",
     "order_ref": "o1", "received_at": "2026-11-20T12:00:00Z",
     "attachments": [["name": "receipt.pdf", "content_type": "application/pdf", "size": 1234] as [String: Any]]]
}

private func json(_ object: Any) -> [UInt8] {
    Array(try! JSONSerialization.data(withJSONObject: object))
}

private func ticket(_ change: (inout [String: Any]) -> Void) -> [UInt8] {
    var object = baseTicket()
    change(&object)
    return json(object)
}

private func customer(_ change: (inout [String: Any]) -> Void) -> [UInt8] {
    ticket { t in
        var c = t["customer"] as! [String: Any]
        change(&c)
        t["customer"] = c
    }
}

private func attachment(_ change: (inout [String: Any]) -> Void) -> [UInt8] {
    ticket { t in
        var a = (t["attachments"] as! [[String: Any]])[0]
        change(&a)
        t["attachments"] = [a]
    }
}

private func reject(_ bytes: [UInt8]) -> TicketRejection? {
    if case .failure(let rejection) = TicketValidation.validate(bytes) { return rejection }
    return nil
}

private func accept(_ bytes: [UInt8]) throws -> TicketV1 {
    try TicketValidation.validate(bytes).get()
}

struct RejectionCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let code: TicketRejection.Code
    let field: String?
    var testDescription: String { name }
}

private let rejectionCases: [RejectionCase] = [
    .init(name: "not UTF-8", bytes: Array(#"{"body":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8), code: .notUTF8, field: nil),
    .init(name: "over the message limit", bytes: json(["body": String(repeating: "a", count: 300_000)]), code: .messageTooLarge, field: nil),
    .init(name: "nested too deep", bytes: ticket { $0["meta"] = [[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]] }, code: .tooDeep, field: nil),
    .init(name: "truncated JSON", bytes: Array(#"{"channel": "chat""#.utf8), code: .notJSON, field: nil),
    .init(name: "not JSON at all", bytes: Array("hello".utf8), code: .notJSON, field: nil),
    .init(name: "JSON array", bytes: Array("[1, 2]".utf8), code: .notAnObject, field: nil),
    .init(name: "JSON string", bytes: Array(#""ticket""#.utf8), code: .notAnObject, field: nil),
    .init(name: "wrong schema", bytes: ticket { $0["schema"] = "ombud.ticket.v2" }, code: .wrongSchema, field: "schema"),
    .init(name: "channel missing", bytes: ticket { $0["channel"] = nil }, code: .missingField, field: "channel"),
    .init(name: "channel null", bytes: ticket { $0["channel"] = NSNull() }, code: .missingField, field: "channel"),
    .init(name: "external_id missing", bytes: ticket { $0["external_id"] = nil }, code: .missingField, field: "external_id"),
    .init(name: "body missing", bytes: ticket { $0["body"] = nil }, code: .missingField, field: "body"),
    .init(name: "received_at missing", bytes: ticket { $0["received_at"] = nil }, code: .missingField, field: "received_at"),
    .init(name: "customer missing", bytes: ticket { $0["customer"] = nil }, code: .missingField, field: "customer"),
    .init(name: "customer without id or email", bytes: customer { $0 = ["locale": "sv-SE"] }, code: .missingField, field: "customer"),
    .init(name: "customer id and email blank", bytes: customer { $0 = ["id": " ", "email": ""] }, code: .missingField, field: "customer"),
    .init(name: "attachment name missing", bytes: attachment { $0["name"] = nil }, code: .missingField, field: "attachments[0].name"),
    .init(name: "attachment size missing", bytes: attachment { $0["size"] = nil }, code: .missingField, field: "attachments[0].size"),
    .init(name: "channel empty", bytes: ticket { $0["channel"] = "  " }, code: .emptyField, field: "channel"),
    .init(name: "body only whitespace", bytes: ticket { $0["body"] = " \n\t " }, code: .emptyField, field: "body"),
    .init(name: "channel a number", bytes: ticket { $0["channel"] = 5 }, code: .wrongType, field: "channel"),
    .init(name: "customer a string", bytes: ticket { $0["customer"] = "cus_123" }, code: .wrongType, field: "customer"),
    .init(name: "attachments an object", bytes: ticket { $0["attachments"] = ["name": "a"] }, code: .wrongType, field: "attachments"),
    .init(name: "attachment size a string", bytes: attachment { $0["size"] = "1234" }, code: .wrongType, field: "attachments[0].size"),
    .init(name: "attachment size a fraction", bytes: attachment { $0["size"] = 1.5 }, code: .wrongType, field: "attachments[0].size"),
    .init(name: "attachment null", bytes: ticket { $0["attachments"] = [NSNull()] }, code: .wrongType, field: "attachments[0]"),
    .init(name: "channel over 32", bytes: ticket { $0["channel"] = String(repeating: "c", count: 33) }, code: .fieldTooLong, field: "channel"),
    .init(name: "external_id over 200", bytes: ticket { $0["external_id"] = String(repeating: "e", count: 201) }, code: .fieldTooLong, field: "external_id"),
    .init(name: "thread_id over 200", bytes: ticket { $0["thread_id"] = String(repeating: "t", count: 201) }, code: .fieldTooLong, field: "thread_id"),
    .init(name: "subject over 500", bytes: ticket { $0["subject"] = String(repeating: "ö", count: 501) }, code: .fieldTooLong, field: "subject"),
    .init(name: "order_ref over 100", bytes: ticket { $0["order_ref"] = String(repeating: "o", count: 101) }, code: .fieldTooLong, field: "order_ref"),
    .init(name: "customer.id over 200", bytes: customer { $0["id"] = String(repeating: "i", count: 201) }, code: .fieldTooLong, field: "customer.id"),
    .init(name: "email over 254", bytes: customer { $0["email"] = String(repeating: "a", count: 60) + "@" + String(repeating: "d", count: 200) + ".com" }, code: .fieldTooLong, field: "customer.email"),
    .init(name: "attachment name over 255", bytes: attachment { $0["name"] = String(repeating: "n", count: 256) }, code: .fieldTooLong, field: "attachments[0].name"),
    .init(name: "body over 16 KiB", bytes: ticket { $0["body"] = String(repeating: "SECRET ", count: 2341) }, code: .bodyTooLarge, field: "body"),
    .init(name: "received_at not a date", bytes: ticket { $0["received_at"] = "yesterday" }, code: .badTimestamp, field: "received_at"),
    .init(name: "received_at no time zone", bytes: ticket { $0["received_at"] = "2026-11-20T12:00:00" }, code: .badTimestamp, field: "received_at"),
    .init(name: "received_at impossible day", bytes: ticket { $0["received_at"] = "2026-02-30T12:00:00Z" }, code: .badTimestamp, field: "received_at"),
    .init(name: "received_at a number", bytes: ticket { $0["received_at"] = 1_795_176_000 }, code: .wrongType, field: "received_at"),
    .init(name: "email without @", bytes: customer { $0["email"] = "SECRET.example.com" }, code: .badEmail, field: "customer.email"),
    .init(name: "email without domain dot", bytes: customer { $0["email"] = "SECRET@localhost" }, code: .badEmail, field: "customer.email"),
    .init(name: "email with space", bytes: customer { $0["email"] = "SECRET x@example.com" }, code: .badEmail, field: "customer.email"),
    .init(name: "email with two @", bytes: customer { $0["email"] = "a@b@example.com" }, code: .badEmail, field: "customer.email"),
    .init(name: "email with double dot", bytes: customer { $0["email"] = "a..b@example.com" }, code: .badEmail, field: "customer.email"),
    .init(name: "email with empty label", bytes: customer { $0["email"] = "a@example..com" }, code: .badEmail, field: "customer.email"),
    .init(name: "channel with a dot", bytes: ticket { $0["channel"] = "chat.eu" }, code: .badChannel, field: "channel"),
    .init(name: "channel with a wildcard", bytes: ticket { $0["channel"] = "#" }, code: .badChannel, field: "channel"),
    .init(name: "locale with spaces", bytes: customer { $0["locale"] = "sv SE" }, code: .badLocale, field: "customer.locale"),
    .init(name: "locale too short", bytes: customer { $0["locale"] = "s" }, code: .badLocale, field: "customer.locale"),
    .init(name: "NUL in external_id", bytes: ticket { $0["external_id"] = "chat\u{0}1" }, code: .controlCharacter, field: "external_id"),
    .init(name: "escape in customer.id", bytes: customer { $0["id"] = "cus\u{1B}[31m" }, code: .controlCharacter, field: "customer.id"),
    .init(name: "bidi override in thread_id", bytes: ticket { $0["thread_id"] = "conv\u{202E}155" }, code: .controlCharacter, field: "thread_id"),
    .init(name: "tab in order_ref", bytes: ticket { $0["order_ref"] = "o\t1" }, code: .controlCharacter, field: "order_ref"),
    .init(name: "newline in attachment name", bytes: attachment { $0["name"] = "a\nb.pdf" }, code: .controlCharacter, field: "attachments[0].name"),
    .init(name: "21 attachments", bytes: ticket { $0["attachments"] = Array(repeating: ["name": "a", "content_type": "image/png", "size": 1] as [String: Any], count: 21) }, code: .tooManyAttachments, field: "attachments"),
    .init(name: "attachment size too big for an integer", bytes: attachment { $0["size"] = 1e30 }, code: .wrongType, field: "attachments[0].size"),
    .init(name: "negative size", bytes: attachment { $0["size"] = -1 }, code: .negativeSize, field: "attachments[0].size"),
]

@Suite("Intake: ticket validation")
struct IntakeValidationTests {
    @Test("every rejection reason, each from a minimal failing input", arguments: rejectionCases)
    func rejects(_ testCase: RejectionCase) throws {
        let rejection = try #require(reject(testCase.bytes))
        #expect(rejection.code == testCase.code)
        #expect(rejection.field == testCase.field)
        #expect(rejection.description.hasPrefix(testCase.code.rawValue + ": "))
        // Reasons are stored and logged: they never echo the customer's text or ids.
        #expect(!rejection.description.localizedCaseInsensitiveContains("secret"))
        #expect(!rejection.message.isEmpty)
    }

    @Test("the cases above cover every rejection code")
    func everyCodeCovered() {
        #expect(Set(rejectionCases.map(\.code)) == Set(TicketRejection.Code.allCases))
    }

    @Test("the base ticket is valid")
    func baseIsValid() throws {
        let valid = try accept(json(baseTicket()))
        #expect(valid.customer.email == "anna@example.com" && valid.attachments.count == 1)
    }

    @Test("10,000 levels of nesting are refused fast, without parsing")
    func deepNestingRefusedFast() throws {
        let arrays = Array(repeating: UInt8(ascii: "["), count: 10_000) + Array(repeating: UInt8(ascii: "]"), count: 10_000)
        let objects = Array(String(repeating: #"{"a":"#, count: 10_000).utf8) + Array(repeating: UInt8(ascii: "}"), count: 10_000)
        let unclosed = Array(#"{"body":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 10_000)
        let start = ContinuousClock.now
        for bytes in [arrays, objects, unclosed] {
            #expect(reject(bytes)?.code == .tooDeep)
        }
        #expect(ContinuousClock.now - start < .milliseconds(500))
    }

    @Test("brackets inside strings, escaped quotes included, do not count as nesting")
    func bracketsInStringsIgnored() throws {
        let body = String(repeating: "[{", count: 100) + #" \"quoted [ "# + String(repeating: "}]", count: 100)
        let valid = try accept(ticket { $0["body"] = body })
        #expect(valid.body == body)
    }

    @Test("the depth limit is exact: 16 levels pass, 17 do not")
    func depthLimitExact() {
        func nested(_ levels: Int) -> [UInt8] {
            ticket { t in
                var value: Any = "x"
                for _ in 0..<(levels - 1) { value = [value] }
                t["meta"] = value
            }
        }
        #expect(reject(nested(16)) == nil)  // the root object and 15 arrays
        #expect(reject(nested(17))?.code == .tooDeep)
    }

    @Test("an e-mail-only customer is enough")
    func emailOnlyCustomer() throws {
        let valid = try accept(customer { $0 = ["email": "Anna.Berg+x@Example.COM"] })
        #expect(valid.customer.id == nil)
        #expect(valid.customer.email == "Anna.Berg+x@example.com")  // domain lower-cased, local part kept
    }

    @Test("an id-only customer is enough")
    func idOnlyCustomer() throws {
        #expect(try accept(customer { $0 = ["id": "cus_1"] }).customer == .init(id: "cus_1"))
    }

    @Test("attachments may be empty or absent")
    func attachmentsEmptyOrAbsent() throws {
        #expect(try accept(ticket { $0["attachments"] = [] as [Any] }).attachments.isEmpty)
        #expect(try accept(ticket { $0["attachments"] = nil }).attachments.isEmpty)
        #expect(try accept(attachment { $0["size"] = 0 }).attachments.first?.size == 0)
        #expect(try accept(ticket { $0["attachments"] = Array(repeating: ["name": "a", "content_type": "image/png", "size": 1] as [String: Any], count: 20) }).attachments.count == 20)
    }

    @Test("a Unicode body of exactly 16 KiB is accepted, one byte more is not")
    func bodyAtTheLimit() throws {
        let twoByte = String(repeating: "ä", count: 8192)   // precomposed: NFC leaves it alone
        let fourByte = String(repeating: "🙂", count: 4096)
        #expect(twoByte.utf8.count == 16_384 && fourByte.utf8.count == 16_384)
        #expect(try accept(ticket { $0["body"] = twoByte }).body == twoByte)
        #expect(try accept(ticket { $0["body"] = fourByte }).body == fourByte)
        #expect(reject(ticket { $0["body"] = twoByte + "a" })?.code == .bodyTooLarge)
        // Surrounding whitespace is trimmed before measuring: what is stored is what counts.
        #expect(try accept(ticket { $0["body"] = "  " + twoByte + "\n" }).body == twoByte)
    }

    @Test("limits at their maximum are accepted")
    func fieldsAtTheLimit() throws {
        let valid = try accept(ticket { t in
            t["channel"] = String(repeating: "c", count: 32)
            t["external_id"] = String(repeating: "é", count: 200)
            t["subject"] = String(repeating: "s", count: 500)
        })
        #expect(valid.externalId.unicodeScalars.count == 200)
    }

    @Test("strings are trimmed and NFC-normalised; blank optionals become absent")
    func normalisation() throws {
        let valid = try accept(ticket { t in
            t["channel"] = " Chat "
            t["external_id"] = "  chat-1\n"
            t["subject"] = "   "
            t["thread_id"] = ""
            t["body"] = "  Cafe\u{301} bill\r\n"
            t["customer"] = ["id": " cus_1 ", "locale": "de_DE"]
            t["attachments"] = [["name": " a.JPG ", "content_type": "Image/JPEG", "size": 3]]
        })
        #expect(valid.channel == "chat")
        #expect(valid.externalId == "chat-1")
        #expect(valid.subject == nil && valid.threadId == nil)
        #expect(valid.body == "Caf\u{E9} bill")
        #expect(valid.body.unicodeScalars.count == 9)
        #expect(valid.customer == .init(id: "cus_1", locale: "de-DE"))
        #expect(valid.attachments == [.init(name: "a.JPG", contentType: "image/jpeg", size: 3)])
    }

    @Test("control characters are dropped from free text, keeping tabs and line breaks")
    func freeTextControls() throws {
        let valid = try accept(ticket { t in
            t["body"] = "line one\u{0}\u{1B}[2J\n\tline two\u{7F}"
            t["subject"] = "Re:\u{8} refund"
        })
        #expect(valid.body == "line one[2J\n\tline two")
        #expect(valid.subject == "Re: refund")
    }

    @Test("timestamps with offsets and fractions are accepted as the same instant")
    func timestampVariants() throws {
        let offset = try accept(ticket { $0["received_at"] = "2026-11-20T13:00:00.5+01:00" })
        #expect(offset.receivedAt.timeIntervalSince1970 == 1_795_176_000.5)
    }

    @Test("a missing schema is accepted (scenario tickets), a present one must match")
    func schemaOptional() throws {
        #expect(try accept(ticket { $0["schema"] = nil }).schema == MessageSchema.ticketV1)
        let odd = try #require(reject(ticket { $0["schema"] = "x y\u{0}" }))
        #expect(odd.code == .wrongSchema && !odd.message.contains("x y"))
    }

    @Test("a UTF-8 byte order mark is tolerated")
    func byteOrderMark() throws {
        let bytes = json(baseTicket())
        #expect(try accept([0xEF, 0xBB, 0xBF] + bytes) == accept(bytes))
    }

    @Test("unknown fields are ignored")
    func unknownFieldsIgnored() throws {
        let valid = try accept(ticket { t in
            t["priority_hint"] = "vip"
            t["customer"] = ["id": "c1", "segment": ["a", "b"]]
        })
        #expect(valid.customer.id == "c1")
    }

    @Test("validation is deterministic and the result re-validates to itself")
    func idempotent() throws {
        let bytes = json(baseTicket())
        let first = try accept(bytes)
        #expect(try accept(bytes) == first)
        #expect(try TicketValidation.validate(first).get() == first)
        #expect(try accept(try MessageCoding.encode(first)) == first)
    }

    @Test("an already-decoded ticket is held to the same limits")
    func decodedTicketLimits() {
        let decoded = TicketV1(channel: "chat", externalId: "e", customer: .init(), body: "hi",
                               receivedAt: Date(timeIntervalSince1970: 0))
        guard case .failure(let rejection) = TicketValidation.validate(decoded) else {
            Issue.record("accepted a ticket without a customer")
            return
        }
        #expect(rejection.code == .missingField && rejection.field == "customer")
    }

    @Test("a rejection encodes as code, field and message for the case timeline")
    func rejectionCodable() throws {
        let rejection = try #require(reject(ticket { $0["channel"] = nil }))
        let bytes = try MessageCoding.encode(rejection)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"code":"missing_field","field":"channel","message":"channel is required"}"#)
        #expect(try MessageCoding.decode(TicketRejection.self, from: bytes) == rejection)
    }

    @Test("custom limits apply")
    func customLimits() {
        var limits = TicketLimits()
        limits.maxBodyBytes = 10
        limits.maxAttachments = 0
        #expect(TicketValidation.validate(ticket { $0["body"] = "12345678901" }, limits: limits).failureCode == .bodyTooLarge)
        #expect(TicketValidation.validate(ticket { $0["body"] = "ok" }, limits: limits).failureCode == .tooManyAttachments)
    }
}

private extension Result where Failure == TicketRejection {
    var failureCode: TicketRejection.Code? {
        if case .failure(let rejection) = self { return rejection.code }
        return nil
    }
}
