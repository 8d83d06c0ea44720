import OmbudJSON

/// The JSON stored in `stage_receipts.outputs`: `OutboundMessage`'s Codable form, written and read with the lean
/// coders (Foundation's cost about 100 µs per message on Linux, more than the rest of a pass-through stage).
enum ReceiptJSON {
    static func encode(_ outputs: [OutboundMessage]) throws -> String {
        try StreamingJSONEncoder().encodeString(outputs)
    }

    static func decode(_ text: String) throws -> [OutboundMessage] {
        try TreeJSONDecoder().decode([OutboundMessage].self, from: Array(text.utf8))
    }
}
