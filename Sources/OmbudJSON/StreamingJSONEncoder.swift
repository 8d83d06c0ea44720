import Foundation

/// A `JSONEncoder` for the hot paths (jsonb columns and stage receipts, written once per ticket per stage): it
/// writes UTF-8 straight into one byte buffer as `encode(to:)` runs, where Foundation's encoder first builds a tree
/// of boxed values and then serialises it. Keys come out in the order the type encodes them (not sorted); the output
/// is otherwise what `JSONEncoder` with `.withoutEscapingSlashes` and its default strategies writes: `Decimal` as a
/// number, `Date` as seconds since 2001 (`deferredToDate`), `Data` as base64, `URL` as its string, and a non-finite
/// float is an error.
///
/// Containers must be used in order, as synthesised `Codable` does: once a container has moved on to its next
/// value, a nested container it handed out earlier is closed, and writing to it again is an error.
public struct StreamingJSONEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let sink = JSONByteSink()
        try sink.writeValue(value, path: [])
        guard sink.open.isEmpty else { throw JSONByteSink.misuse([], "a container was left open") }
        return sink.bytes
    }

    public func encodeString<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

/// The buffer and the stack of open containers. A container knows its depth; writing at a depth first closes every
/// deeper container still open (a nested container is done once its parent moves on).
final class JSONByteSink {
    var bytes: [UInt8] = []
    /// Open containers, outermost first: whether each is an object, and how many entries it has so far.
    var open: [(isObject: Bool, count: Int)] = []

    init() { bytes.reserveCapacity(256) }

    static func misuse(_ path: [any CodingKey], _ what: String) -> EncodingError {
        EncodingError.invalidValue((), EncodingError.Context(codingPath: path, debugDescription: "StreamingJSONEncoder: \(what)"))
    }

    /// Closes the containers deeper than `depth`; the container at `depth - 1` is the one about to be written.
    func closeDeeper(than depth: Int, path: @autoclosure () -> [any CodingKey]) throws {
        guard open.count >= depth else { throw Self.misuse(path(), "a container was written after it was closed") }
        while open.count > depth {
            bytes.append(open.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Opens a container at `depth` (the encoder's own level); a second request for the same level reuses it.
    func openContainer(object: Bool, depth: Int, path: @autoclosure () -> [any CodingKey]) throws {
        if open.count == depth + 1, open[depth].isObject == object { return }
        try closeDeeper(than: depth, path: path())
        open.append((object, 0))
        bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    /// Starts the next entry of the container at `depth - 1`: closes deeper ones and writes the separator.
    func beginEntry(depth: Int, path: @autoclosure () -> [any CodingKey]) throws {
        try closeDeeper(than: depth, path: path())
        guard depth > 0 else { return }
        if open[depth - 1].count > 0 { bytes.append(UInt8(ascii: ",")) }
        open[depth - 1].count += 1
    }

    func writeKey(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    // MARK: Values

    /// The path is only worked out when it is needed (a nested value's encoder, or an error).
    func writeValue<T: Encodable>(_ value: T, path: @autoclosure () -> [any CodingKey]) throws {
        switch value {
        case let v as String: writeString(v)
        case let v as Bool: writeLiteral(v ? "true" : "false")
        case let v as Int: writeLiteral(String(v))
        case let v as Double: try writeFloat(v, path: path())
        case let v as Decimal: writeLiteral(v.description)
        case let v as Date: try writeFloat(v.timeIntervalSinceReferenceDate, path: path())
        case let v as URL: writeString(v.absoluteString)
        case let v as Data: writeString(v.base64EncodedString())
        case let v as Float: try writeFloat(Double(v), path: path(), shortest: v.description)
        case let v as Int64: writeLiteral(String(v))
        case let v as Int32: writeLiteral(String(v))
        case let v as Int16: writeLiteral(String(v))
        case let v as Int8: writeLiteral(String(v))
        case let v as UInt: writeLiteral(String(v))
        case let v as UInt64: writeLiteral(String(v))
        case let v as UInt32: writeLiteral(String(v))
        case let v as UInt16: writeLiteral(String(v))
        case let v as UInt8: writeLiteral(String(v))
        default:
            let depth = open.count
            let start = bytes.count
            let path = path()
            try value.encode(to: JSONByteEncoder(sink: self, depth: depth, codingPath: path))
            try closeDeeper(than: depth, path: path)
            // A value that encoded nothing at all is an empty object, as with Foundation's encoder.
            if bytes.count == start { writeLiteral("{}") }
        }
    }

    func writeNil() { writeLiteral("null") }

    func writeLiteral(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    func writeFloat(_ value: Double, path: [any CodingKey], shortest: String? = nil) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: path, debugDescription: "\(value) is not a JSON number"))
        }
        // Whole numbers as integers ("3", not "3.0"), as Foundation writes them.
        if value == value.rounded(), abs(value) < 1e15 {
            writeLiteral(String(Int64(value)))
        } else {
            writeLiteral(shortest ?? value.description)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// The `Encoder` a value sees: its level in the sink and its coding path.
struct JSONByteEncoder: Encoder {
    let sink: JSONByteSink
    let depth: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let failure = Result { try sink.openContainer(object: true, depth: depth, path: codingPath) }
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(sink: sink, depth: depth + 1, codingPath: codingPath,
                                                              failure: failure.failure))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let failure = Result { try sink.openContainer(object: false, depth: depth, path: codingPath) }
        return JSONUnkeyedContainer(sink: sink, depth: depth + 1, codingPath: codingPath, failure: failure.failure)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(sink: sink, depth: depth, codingPath: codingPath)
    }
}

private extension Result where Success == Void {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// An object; `depth` is the level of its entries. A failure to open it is reported at the first write.
struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: JSONByteSink
    let depth: Int
    let codingPath: [any CodingKey]
    let failure: (any Error)?

    private func begin(_ key: Key) throws {
        if let failure { throw failure }
        try sink.beginEntry(depth: depth, path: codingPath + [key])
        sink.writeKey(key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws {
        try begin(key)
        sink.writeNil()
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try begin(key)
        sink.writeString(value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try begin(key)
        sink.writeLiteral(value ? "true" : "false")
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        try begin(key)
        sink.writeLiteral(String(value))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        try sink.writeValue(value, path: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let failure = Result {
            try begin(key)
            try sink.openContainer(object: true, depth: depth, path: codingPath + [key])
        }
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(
            sink: sink, depth: depth + 1, codingPath: codingPath + [key], failure: failure.failure))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let failure = Result {
            try begin(key)
            try sink.openContainer(object: false, depth: depth, path: codingPath + [key])
        }
        return JSONUnkeyedContainer(sink: sink, depth: depth + 1, codingPath: codingPath + [key], failure: failure.failure)
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        // The entry's key is written now; the value is whatever the returned encoder writes.
        let failure = Result { try begin(key) }
        return failure.failure.map { FailedEncoder(error: $0, codingPath: codingPath + [key]) }
            ?? JSONByteEncoder(sink: sink, depth: depth, codingPath: codingPath + [key])
    }
}

/// An array; `depth` is the level of its elements.
struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let sink: JSONByteSink
    let depth: Int
    let codingPath: [any CodingKey]
    let failure: (any Error)?
    private(set) var count = 0

    init(sink: JSONByteSink, depth: Int, codingPath: [any CodingKey], failure: (any Error)?) {
        self.sink = sink
        self.depth = depth
        self.codingPath = codingPath
        self.failure = failure
    }

    /// Starts the next element; returns its index.
    @discardableResult
    private mutating func begin() throws -> Int {
        if let failure { throw failure }
        let index = count
        try sink.beginEntry(depth: depth, path: codingPath + [JSONIndexKey(index)])
        count += 1
        return index
    }

    private func path(_ index: Int) -> [any CodingKey] { codingPath + [JSONIndexKey(index)] }

    mutating func encodeNil() throws {
        try begin()
        sink.writeNil()
    }

    mutating func encode(_ value: String) throws {
        try begin()
        sink.writeString(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = try begin()
        try sink.writeValue(value, path: path(index))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        var path = codingPath
        let failure = Result {
            path = self.path(try begin())
            try sink.openContainer(object: true, depth: depth, path: path)
        }
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(sink: sink, depth: depth + 1, codingPath: path,
                                                                    failure: failure.failure))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        var path = codingPath
        let failure = Result {
            path = self.path(try begin())
            try sink.openContainer(object: false, depth: depth, path: path)
        }
        return JSONUnkeyedContainer(sink: sink, depth: depth + 1, codingPath: path, failure: failure.failure)
    }

    mutating func superEncoder() -> any Encoder {
        var path = codingPath
        let failure = Result { path = self.path(try begin()) }
        return failure.failure.map { FailedEncoder(error: $0, codingPath: path) }
            ?? JSONByteEncoder(sink: sink, depth: depth, codingPath: path)
    }
}

/// One value at the encoder's own level.
struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let sink: JSONByteSink
    let depth: Int
    let codingPath: [any CodingKey]

    private func begin() throws { try sink.closeDeeper(than: depth, path: codingPath) }

    mutating func encodeNil() throws {
        try begin()
        sink.writeNil()
    }

    mutating func encode(_ value: String) throws {
        try begin()
        sink.writeString(value)
    }

    /// Also the witness for each primitive `encode` the protocol lists: `writeValue` writes those directly.
    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try sink.writeValue(value, path: codingPath)
    }
}

/// What a container hands out when it could not start the entry: every use reports the error.
struct FailedEncoder: Encoder {
    let error: any Error
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONKeyedContainer<Key>(sink: JSONByteSink(), depth: 1, codingPath: codingPath, failure: error))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONUnkeyedContainer(sink: JSONByteSink(), depth: 1, codingPath: codingPath, failure: error)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        FailedSingleValue(error: error, codingPath: codingPath)
    }

    struct FailedSingleValue: SingleValueEncodingContainer {
        let error: any Error
        let codingPath: [any CodingKey]
        mutating func encodeNil() throws { throw error }
        mutating func encode<T: Encodable>(_ value: T) throws { throw error }
    }
}

/// An array index in a coding path.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}
