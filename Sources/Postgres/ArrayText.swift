/// Text forms of one-dimensional arrays: `{a,"b c","with \"quote\"",NULL}`.
enum ArrayText {
    /// Quotes every element, so no element can be mistaken for NULL or split at a comma; nil is NULL.
    /// Works on UTF-8 bytes: batches send arrays of hundreds of kilobytes, and walking them as
    /// grapheme clusters costs far more than the query itself.
    static func format(_ elements: [String?]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(elements.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        for (position, element) in elements.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let element else { bytes.append(contentsOf: "NULL".utf8); continue }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses a one-dimensional array literal as the server prints it; NULL elements are nil.
    /// Throws for nested (multi-dimensional) arrays and malformed text.
    static func parse(_ text: String) throws -> [String?] {
        var bytes = Array(text.utf8)[...]
        // A non-default lower bound is printed as a prefix: "[0:1]={a,b}".
        if bytes.first == UInt8(ascii: "[") {
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { throw malformed(text) }
            bytes = bytes[(equals + 1)...]
        }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { throw malformed(text) }
        bytes = bytes.dropFirst().dropLast()
        if bytes.isEmpty { return [] }

        var elements: [String?] = []
        var current: [UInt8] = []
        var quoted = false       // the current element was written in double quotes
        var inQuotes = false     // currently between the quotes
        var index = bytes.startIndex
        func finishElement() {
            let value = String(decoding: current, as: UTF8.self)
            elements.append(!quoted && value.uppercased() == "NULL" ? nil : value)
            current = []
            quoted = false
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.endIndex else { throw malformed(text) }
                current.append(bytes[index])
            case UInt8(ascii: "\""):
                inQuotes.toggle()
                quoted = true
            case UInt8(ascii: ",") where !inQuotes:
                finishElement()
            case UInt8(ascii: "{") where !inQuotes:
                throw PostgresError.decoding("multi-dimensional arrays are not supported: \(text)")
            default:
                current.append(byte)
            }
            index += 1
        }
        guard !inQuotes else { throw malformed(text) }
        finishElement()
        return elements
    }

    private static func malformed(_ text: String) -> PostgresError {
        .decoding("malformed array literal: \(text)")
    }
}

/// The hex text form of `bytea`: `\x0aff`.
enum ByteaText {
    static func format(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Only the hex format; the connection sets `bytea_output = hex` so the server never sends "escape".
    static func parse(_ text: String) throws -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw PostgresError.decoding("bytea is not in hex format: \(text.prefix(40))")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else {
                throw PostgresError.decoding("invalid hex digit in bytea: \(text.prefix(40))")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
