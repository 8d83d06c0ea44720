/// Writes a batch's outputs as the JSON stored in `stage_receipts.outputs`, byte by byte: Foundation's
/// JSONEncoder costs ~100 µs per message on Linux, more than the rest of a pass-through stage.
/// The shape is `OutboundMessage`'s Codable form, so `JSONDecoder` reads it back.
enum ReceiptJSON {
    static func encode(_ outputs: [OutboundMessage]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(outputs.reduce(2) { $0 + $1.body.utf8.count + 256 })
        out.append(UInt8(ascii: "["))
        for (i, message) in outputs.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: Array("{\"exchange\":".utf8)); string(message.exchange, into: &out)
            out.append(contentsOf: Array(",\"routingKey\":".utf8)); string(message.routingKey, into: &out)
            out.append(contentsOf: Array(",\"messageId\":".utf8)); string(message.messageId, into: &out)
            if let correlationId = message.correlationId {
                out.append(contentsOf: Array(",\"correlationId\":".utf8)); string(correlationId, into: &out)
            }
            out.append(contentsOf: Array(",\"body\":".utf8)); string(message.body, into: &out)
            out.append(contentsOf: Array(",\"headers\":{".utf8))
            for (j, key) in message.headers.keys.sorted().enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                string(key, into: &out)
                out.append(UInt8(ascii: ":"))
                string(message.headers[key]!, into: &out)
            }
            out.append(contentsOf: Array("},\"bcc\":[".utf8))
            for (j, key) in message.bcc.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                string(key, into: &out)
            }
            out.append(contentsOf: Array("]}".utf8))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string literal (RFC 8259 escaping; UTF-8 above 0x7F passes through).
    static func string(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(byte)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x00..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)]); out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
