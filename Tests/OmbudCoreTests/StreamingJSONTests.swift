import Foundation
import OmbudJSON
import Testing
@testable import OmbudCore

/// The hot-path JSON coders against Foundation's: the same values, the same JSON (up to key order), the same errors.
@Suite struct StreamingJSONTests {
    struct Sample: Codable, Equatable {
        var text: String
        var count: Int
        var ratio: Double
        var amount: Decimal
        var flag: Bool
        var missing: String?
        var present: Int?
        var list: [String?]
        var nested: [[Int]]
        var map: [String: Int]
        var at: Date
        var small: Float
        var big: UInt64
        var negative: Int8
        var blob: Data
    }

    static let strings = ["", "plain", "quote \" backslash \\ slash /", "tab\tnew\nline\rcr", "\u{0}\u{1}\u{1f}\u{7f}",
                          "ümlaut ß ﬁ", "emoji 👩‍👩‍👧 🇸🇪", "line sep \u{2028} para \u{2029}", "{\"json\": [1]}"]

    static func sample(_ text: String) -> Sample {
        Sample(text: text, count: Int.min, ratio: 0.1, amount: Decimal(string: "123.4500")!, flag: true, missing: nil,
               present: Int.max, list: ["a", nil, text], nested: [[], [1, -2, 3]], map: ["k": 1, text: 2],
               at: Date(timeIntervalSinceReferenceDate: 815_443_200.25), small: 1.5, big: UInt64.max, negative: -128,
               blob: Data([0, 1, 2, 250, 255]))
    }

    /// JSON text as a Foundation object graph, to compare documents whatever their key order.
    static func object(_ bytes: [UInt8]) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as! NSObject
    }

    static func foundation<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    @Test(arguments: strings)
    func aValueRoundTripsThroughBothCodersAlike(text: String) throws {
        let value = Self.sample(text)
        let ours = try StreamingJSONEncoder().encode(value)
        #expect(try Self.object(ours) == Self.object(try Self.foundation(value)))
        #expect(try JSONDecoder().decode(Sample.self, from: Data(ours)) == value)
        #expect(try TreeJSONDecoder().decode(Sample.self, from: try Self.foundation(value)) == value)
        #expect(try TreeJSONDecoder().decode(Sample.self, from: ours) == value)
    }

    /// Every decision the policy makes in the fixtures, escalated or not, with actions and reply facts.
    @Test(arguments: Intent.allCases)
    func decisionsRoundTrip(intent: Intent) throws {
        for flags in [Set<Flag>(), [.formalComplaint]] {
            let decision = decide(makeInput(intent, flags: flags))
            let ours = try StreamingJSONEncoder().encode(decision)
            #expect(try Self.object(ours) == Self.object(try Self.foundation(decision)))
            #expect(try TreeJSONDecoder().decode(Decision.self, from: ours) == decision)
            #expect(try JSONDecoder().decode(Decision.self, from: Data(ours)) == decision)
        }
    }

    /// Message bodies: the same document as Foundation's encoder writes, and back through both decoders.
    @Test func messagesMatchFoundation() throws {
        let caseId = UUID(uuidString: "b6bf5e63-a48f-867f-afb1-c48b66f623c1")!
        let envelope = StageEnvelopeV1(caseId: caseId, ticketId: "b6bf5e63-a48f-867f-afb1-c48b66f623c1", stage: .lookup,
                                       trace: "t:1")
        let body = try MessageCoding.encode(envelope)
        #expect(try Self.object(body) == Self.object(try Self.foundation(envelope)))
        #expect(try TreeJSONDecoder().decode(StageEnvelopeV1.self, from: body) == envelope)
        #expect(try JSONDecoder().decode(StageEnvelopeV1.self, from: Data(body)) == envelope)

        let reply = ReplyV1(caseId: caseId, channel: "app", externalId: "a/1", threadId: "t/9", language: "sv",
                            outcome: .autoResolved, text: "Återbetalningen \"klar\" – 89,90 €\n/ha en fin dag",
                            actions: [.init(kind: "refund_capture", target: "k1", idempotencyKey: "case:1/refund")])
        let replyBody = try MessageCoding.encode(reply)
        #expect(try Self.object(replyBody) == Self.object(try Self.foundation(reply)))
        #expect(try MessageCoding.decode(ReplyV1.self, from: replyBody) == reply)
    }

    @Test func scalarsAndEmptyValuesAtTheTop() throws {
        struct Empty: Codable, Equatable {}
        #expect(try StreamingJSONEncoder().encodeString(Empty()) == "{}")
        #expect(try StreamingJSONEncoder().encodeString([Int]()) == "[]")
        #expect(try StreamingJSONEncoder().encodeString(Optional<Int>.none) == "null")
        #expect(try StreamingJSONEncoder().encodeString(3.0) == "3")
        #expect(try StreamingJSONEncoder().encodeString("a\u{1}") == #""a\u0001""#)
        #expect(try TreeJSONDecoder().decode(Empty.self, from: Array(" { } ".utf8)) == Empty())
        #expect(try TreeJSONDecoder().decode(Int?.self, from: Array("null".utf8)) == nil)
        #expect(try TreeJSONDecoder().decode(String.self, from: Array(#""\u00e9\ud83d\ude00\/""#.utf8)) == "é😀/")
        #expect(try TreeJSONDecoder().decode(Int.self, from: Array("3.0".utf8)) == 3)
        #expect(try TreeJSONDecoder().decode(Double.self, from: Array("-1.5e-3".utf8)) == -0.0015)
    }

    @Test func aNonFiniteNumberIsAnEncodingError() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([1.0, .nan]) }
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(["x": Double.infinity]) }
    }

    /// Malformed text is a `DecodingError`, never a crash; so is nesting past the limit.
    @Test(arguments: [#"{"a":}"#, "[1,]", #""abc"#, #"{"a" 1}"#, "01", "1.", "-", "tru", #""\u12""#, #""\ud800""#,
                      #""\udc00x""#, "{} x", "", "[", #"{"a":1,}"#, #""\q""#, "\"\u{1}\"", "nul", "1e", "[1 2]"])
    func malformedJSONIsADecodingError(text: String) {
        #expect(throws: DecodingError.self) { try TreeJSONDecoder().decode(JSONAny.self, from: Array(text.utf8)) }
    }

    @Test func textThatIsNotUTF8OrTooDeepIsADecodingError() {
        #expect(throws: DecodingError.self) { try TreeJSONDecoder().decode(String.self, from: [0x22, 0xFF, 0x22]) }
        let deep = Array((String(repeating: "[", count: 600) + String(repeating: "]", count: 600)).utf8)
        #expect(throws: DecodingError.self) { try TreeJSONDecoder().decode(JSONAny.self, from: deep) }
        var shallow = TreeJSONDecoder()
        shallow.maximumDepth = 700
        #expect(throws: Never.self) { try shallow.decode(JSONAny.self, from: deep) }
    }

    @Test func wrongTypesAndMissingKeysSayWhere() throws {
        struct Outer: Decodable { var inner: Inner }
        struct Inner: Decodable { var n: Int }
        do {
            _ = try TreeJSONDecoder().decode(Outer.self, from: Array(#"{"inner": {"n": "x"}}"#.utf8))
            Issue.record("decoded a string as an Int")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["inner", "n"])
        }
        do {
            _ = try TreeJSONDecoder().decode(Outer.self, from: Array(#"{"inner": {}}"#.utf8))
            Issue.record("decoded a missing key")
        } catch DecodingError.keyNotFound(let key, let context) {
            #expect(key.stringValue == "n")
            #expect(context.codingPath.map(\.stringValue) == ["inner"])
        }
        #expect(throws: DecodingError.self) { try TreeJSONDecoder().decode(Int8.self, from: Array("300".utf8)) }
        #expect(throws: DecodingError.self) { try TreeJSONDecoder().decode(Int.self, from: Array("3.5".utf8)) }
        #expect(throws: DecodingError.self) { try TreeJSONDecoder().decode(Int.self, from: Array("null".utf8)) }
    }

    /// Hand-written `encode(to:)` with nested containers, used in order, comes out as Foundation writes it.
    @Test func nestedContainersCloseWhenTheirParentMovesOn() throws {
        struct Nested: Encodable {
            enum Keys: String, CodingKey { case a, b, c }
            func encode(to encoder: any Encoder) throws {
                var outer = encoder.container(keyedBy: Keys.self)
                var inner = outer.nestedContainer(keyedBy: Keys.self, forKey: .a)
                try inner.encode(1, forKey: .b)
                var list = inner.nestedUnkeyedContainer(forKey: .c)
                try list.encode("x")
                var deeper = list.nestedContainer(keyedBy: Keys.self)
                try deeper.encode(true, forKey: .a)
                try outer.encode("after", forKey: .b)
                var tail = outer.nestedUnkeyedContainer(forKey: .c)
                try tail.encodeNil()
            }
        }
        let ours = try StreamingJSONEncoder().encode(Nested())
        #expect(try Self.object(ours) == Self.object(try Self.foundation(Nested())))
    }
}

/// Any JSON value, for feeding the decoder arbitrary documents.
private enum JSONAny: Decodable {
    case value
    init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            while !list.isAtEnd { _ = try list.decode(JSONAny.self) }
        } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
            for key in object.allKeys { _ = try object.decode(JSONAny.self, forKey: key) }
        }
        self = .value
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
