import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

/// A field-table value. Integers are sent as signed 64-bit ('l'), which
/// RabbitMQ accepts for numeric queue arguments such as x-max-length.
/// Received integer kinds of any width decode to `.int`; timestamps ('T')
/// decode to `.int` seconds, decimals to `.double`, byte arrays to `.string`.
public enum AMQPValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case double(Double)
    case table([String: AMQPValue])
    case array([AMQPValue])
    case void
}

/// Used for queue arguments and message headers.
public typealias AMQPTable = [String: AMQPValue]

extension AMQPValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
}

// MARK: - C conversion

/// Owns the C memory built for one outgoing method (strings, tables); freed in bulk.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    init() {}

    deinit { reset() }

    func reset() {
        for pointer in allocations { free(pointer) }
        allocations.removeAll(keepingCapacity: true)
    }

    private func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        guard let pointer = malloc(max(1, byteCount)) else { fatalError("AMQP: out of memory") }
        allocations.append(pointer)
        return pointer
    }

    func bytes(_ string: String) -> amqp_bytes_t {
        var string = string
        return string.withUTF8 { utf8 in
            guard let base = utf8.baseAddress, utf8.count > 0 else { return amqp_bytes_t(len: 0, bytes: nil) }
            let pointer = allocate(utf8.count)
            pointer.copyMemory(from: base, byteCount: utf8.count)
            return amqp_bytes_t(len: utf8.count, bytes: pointer)
        }
    }

    func cString(_ string: String) -> UnsafePointer<CChar> {
        let utf8 = Array(string.utf8)
        let pointer = allocate(utf8.count + 1).bindMemory(to: CChar.self, capacity: utf8.count + 1)
        utf8.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count { pointer[i] = CChar(bitPattern: buffer[i]) }
        }
        pointer[utf8.count] = 0
        return UnsafePointer(pointer)
    }

    func table(_ table: AMQPTable) -> amqp_table_t {
        guard !table.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let entries = allocate(MemoryLayout<amqp_table_entry_t>.stride * table.count)
            .bindMemory(to: amqp_table_entry_t.self, capacity: table.count)
        // Sorted keys make the wire encoding deterministic.
        for (i, key) in table.keys.sorted().enumerated() {
            (entries + i).initialize(to: amqp_table_entry_t(key: bytes(key), value: fieldValue(table[key]!)))
        }
        return amqp_table_t(num_entries: Int32(table.count), entries: entries)
    }

    func fieldValue(_ value: AMQPValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let s):
            field.kind = UInt8(ascii: "S")
            field.value.bytes = bytes(s)
        case .int(let i):
            field.kind = UInt8(ascii: "l")
            field.value.i64 = i
        case .bool(let b):
            field.kind = UInt8(ascii: "t")
            field.value.boolean = b ? 1 : 0
        case .double(let d):
            field.kind = UInt8(ascii: "d")
            field.value.f64 = d
        case .table(let t):
            field.kind = UInt8(ascii: "F")
            field.value.table = table(t)
        case .array(let values):
            field.kind = UInt8(ascii: "A")
            if values.isEmpty {
                field.value.array = amqp_array_t(num_entries: 0, entries: nil)
            } else {
                let entries = allocate(MemoryLayout<amqp_field_value_t>.stride * values.count)
                    .bindMemory(to: amqp_field_value_t.self, capacity: values.count)
                for (i, element) in values.enumerated() { (entries + i).initialize(to: fieldValue(element)) }
                field.value.array = amqp_array_t(num_entries: Int32(values.count), entries: entries)
            }
        case .void:
            field.kind = UInt8(ascii: "V")
        }
        return field
    }
}

extension String {
    /// Copies library-owned bytes (which die with the connection's buffers).
    init(amqpBytes bytes: amqp_bytes_t) {
        guard let base = bytes.bytes, bytes.len > 0 else {
            self = ""
            return
        }
        self = String(decoding: UnsafeRawBufferPointer(start: base, count: bytes.len), as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    init(amqpBytes bytes: amqp_bytes_t) {
        guard let base = bytes.bytes, bytes.len > 0 else {
            self = []
            return
        }
        self = Array(UnsafeRawBufferPointer(start: base, count: bytes.len))
    }
}

extension AMQPValue {
    init(_ field: amqp_field_value_t) {
        switch field.kind {
        case UInt8(ascii: "t"): self = .bool(field.value.boolean != 0)
        case UInt8(ascii: "b"): self = .int(Int64(field.value.i8))
        case UInt8(ascii: "B"): self = .int(Int64(field.value.u8))
        case UInt8(ascii: "s"): self = .int(Int64(field.value.i16))
        case UInt8(ascii: "u"): self = .int(Int64(field.value.u16))
        case UInt8(ascii: "I"): self = .int(Int64(field.value.i32))
        case UInt8(ascii: "i"): self = .int(Int64(field.value.u32))
        case UInt8(ascii: "l"): self = .int(field.value.i64)
        case UInt8(ascii: "L"), UInt8(ascii: "T"): self = .int(Int64(truncatingIfNeeded: field.value.u64))
        case UInt8(ascii: "f"): self = .double(Double(field.value.f32))
        case UInt8(ascii: "d"): self = .double(field.value.f64)
        case UInt8(ascii: "D"):
            let decimal = field.value.decimal
            var scale = 1.0
            for _ in 0..<decimal.decimals { scale *= 10 }
            self = .double(Double(Int32(bitPattern: decimal.value)) / scale)
        case UInt8(ascii: "S"), UInt8(ascii: "x"): self = .string(String(amqpBytes: field.value.bytes))
        case UInt8(ascii: "F"): self = .table(AMQPValue.decodeTable(field.value.table))
        case UInt8(ascii: "A"):
            let array = field.value.array
            var values: [AMQPValue] = []
            values.reserveCapacity(Int(array.num_entries))
            if let entries = array.entries {
                for i in 0..<Int(array.num_entries) { values.append(AMQPValue(entries[i])) }
            }
            self = .array(values)
        default: self = .void
        }
    }

    static func decodeTable(_ table: amqp_table_t) -> AMQPTable {
        var result: AMQPTable = [:]
        guard let entries = table.entries, table.num_entries > 0 else { return result }
        result.reserveCapacity(Int(table.num_entries))
        for i in 0..<Int(table.num_entries) {
            result[String(amqpBytes: entries[i].key)] = AMQPValue(entries[i].value)
        }
        return result
    }
}
