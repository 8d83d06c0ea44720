import Foundation

/// RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes), parsed from
/// bytes in memory; reading the file is the caller's business.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    public enum ParseError: Error, CustomStringConvertible {
        case empty
        case missingColumn(String, available: [String])
        public var description: String {
            switch self {
            case .empty: return "the CSV has no header row"
            case let .missingColumn(name, available):
                return "no column '\(name)' (columns: \(available.joined(separator: ", ")))"
            }
        }
    }

    /// Parses UTF-8 CSV; the first record is the header. `separator` is a single ASCII byte.
    public init(data: Data, separator: UInt8 = UInt8(ascii: ",")) throws {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var fieldStarted = false
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let bytes = [UInt8](data)
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // skip a UTF-8 BOM
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote { field.append(quote); i += 1 } else { inQuotes = false }
                } else {
                    field.append(b)
                }
            } else if b == quote && !fieldStarted && field.isEmpty {
                inQuotes = true
                fieldStarted = true
            } else if b == separator {
                endField()
            } else if b == lf || b == cr {
                if b == cr && i + 1 < bytes.count && bytes[i + 1] == lf { i += 1 }
                endField()
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record.removeAll(keepingCapacity: true)
            } else {
                field.append(b)
                fieldStarted = true
            }
            i += 1
        }
        if fieldStarted || !field.isEmpty || !record.isEmpty {
            endField()
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
        }
        guard let first = records.first else { throw ParseError.empty }
        header = first
        rows = Array(records.dropFirst())
    }

    public func columnIndex(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else { throw ParseError.missingColumn(name, available: header) }
        return i
    }

    /// Examples from a text and a label column; rows with an empty text or label are skipped.
    public func labeledTexts(textColumn: String, labelColumn: String) throws -> [LabeledText] {
        let t = try columnIndex(textColumn), l = try columnIndex(labelColumn)
        return rows.compactMap { row in
            guard row.count > max(t, l) else { return nil }
            let text = row[t], label = row[l]
            guard !text.isEmpty, !label.isEmpty else { return nil }
            return LabeledText(text: text, label: label)
        }
    }

    /// Renders as RFC 4180 CSV, quoting only where needed.
    public static func render(header: [String], rows: [[String]]) -> String {
        func quoted(_ f: String) -> String {
            if f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return f
        }
        var out = header.map(quoted).joined(separator: ",") + "\n"
        for row in rows { out += row.map(quoted).joined(separator: ",") + "\n" }
        return out
    }
}
