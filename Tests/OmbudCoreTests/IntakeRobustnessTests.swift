import Foundation
import Testing
import OmbudCore

/// Hostile or broken input must end in a verdict, never a crash or a hang.
@Suite("Intake: robustness")
struct IntakeRobustnessTests {
    /// A fixed-seed generator so a failure reproduces.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let valid = Array("""
    {"schema":"ombud.ticket.v1","channel":"chat","external_id":"chat-1","thread_id":"conv-1",\
    "customer":{"id":"c1","email":"a@example.com","locale":"sv-SE"},"subject":"Hej","body":"Dubbeldebitering [1] {2}",\
    "order_ref":"o1","received_at":"2026-11-20T12:00:00Z","attachments":[{"name":"a.jpg","content_type":"image/jpeg","size":1}]}
    """.utf8)

    @Test("3,000 random byte mutations of a valid ticket each get a verdict")
    func mutationsNeverCrash() {
        var rng = SplitMix64(state: 42)
        let alphabet = Array(#"{}[]",:\ 0123456789-.eE"tfnu"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF]
        var accepted = 0, rejected = 0
        for _ in 0..<3000 {
            var bytes = Self.valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = alphabet.randomElement(using: &rng)!
                case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
                default: bytes.remove(at: at)
                }
            }
            switch TicketValidation.validate(bytes) {
            case .success: accepted += 1
            case .failure(let rejection):
                rejected += 1
                #expect(!rejection.message.isEmpty)
            }
        }
        #expect(accepted + rejected == 3000)
        #expect(rejected > 0)
    }

    @Test("truncating a valid ticket at every byte gives a verdict")
    func truncations() {
        for length in 0..<Self.valid.count {
            if case .success = TicketValidation.validate(Array(Self.valid.prefix(length))) {
                Issue.record("a ticket truncated to \(length) bytes was accepted")
            }
        }
        #expect(throws: Never.self) { try TicketValidation.validate(Self.valid).get() }
    }
}
