import Foundation

/// A value bound to a `$n` parameter. Sent in text format with an explicit type OID
/// (NULL is sent untyped so the server infers its type from the context).
public enum PostgresValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case bool(Bool)
    case decimal(Decimal)
    /// Sent as `timestamptz` in UTC with microseconds.
    case timestamp(Date)
    case date(PostgresDate)
    case uuid(UUID)
    case json(String)
    case jsonb(String)
    case bytea([UInt8])
    /// A one-dimensional `text[]`; nil elements are SQL NULL.
    case textArray([String?])

    /// The parameter type OID to send.
    public var typeOID: PostgresTypeOID {
        switch self {
        case .null: .unspecified
        case .int: .int8
        case .text: .text
        case .bool: .bool
        case .decimal: .numeric
        case .timestamp: .timestamptz
        case .date: .date
        case .uuid: .uuid
        case .json: .json
        case .jsonb: .jsonb
        case .bytea: .bytea
        case .textArray: .textArray
        }
    }

    /// The text-format representation sent to the server; nil for NULL.
    /// Throws for values PostgreSQL must not receive (NaN decimals, non-finite dates, NUL characters).
    public func textRepresentation() throws -> String? {
        switch self {
        case .null:
            return nil
        case .int(let value):
            return String(value)
        case .text(let value), .json(let value), .jsonb(let value):
            return try Self.withoutNUL(value)
        case .bool(let value):
            return value ? "t" : "f"
        case .decimal(let value):
            // `description` is locale-independent and exact; never go through Double.
            guard !value.isNaN else { throw PostgresError(.other, message: "cannot send a NaN Decimal") }
            return value.description
        case .timestamp(let value):
            guard let text = TimestampText.format(value) else {
                throw PostgresError(.other, message: "cannot send a non-finite Date")
            }
            return text
        case .date(let value):
            guard value.isValid else { throw PostgresError(.other, message: "invalid date \(value)") }
            return value.description
        case .uuid(let value):
            return value.uuidString
        case .bytea(let value):
            return ByteaText.format(value)
        case .textArray(let value):
            return try Self.withoutNUL(ArrayText.format(value))
        }
    }

    /// PostgreSQL text cannot hold NUL, and C strings would silently cut the value there.
    private static func withoutNUL(_ text: String) throws -> String {
        guard !text.utf8.contains(0) else {
            throw PostgresError(.other, message: "text parameter contains a NUL character")
        }
        return text
    }
}

/// A Swift value that can be bound to a `$n` parameter.
public protocol PostgresEncodable {
    var postgresValue: PostgresValue { get }
}

extension PostgresValue: PostgresEncodable {
    public var postgresValue: PostgresValue { self }
}

extension Int: PostgresEncodable {
    public var postgresValue: PostgresValue { .int(Int64(self)) }
}

extension Int64: PostgresEncodable {
    public var postgresValue: PostgresValue { .int(self) }
}

extension Int32: PostgresEncodable {
    public var postgresValue: PostgresValue { .int(Int64(self)) }
}

extension Int16: PostgresEncodable {
    public var postgresValue: PostgresValue { .int(Int64(self)) }
}

extension String: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(self) }
}

extension Bool: PostgresEncodable {
    public var postgresValue: PostgresValue { .bool(self) }
}

extension Decimal: PostgresEncodable {
    public var postgresValue: PostgresValue { .decimal(self) }
}

/// Sent as `timestamptz`.
extension Date: PostgresEncodable {
    public var postgresValue: PostgresValue { .timestamp(self) }
}

extension PostgresDate: PostgresEncodable {
    public var postgresValue: PostgresValue { .date(self) }
}

extension UUID: PostgresEncodable {
    public var postgresValue: PostgresValue { .uuid(self) }
}

/// `[String]` is sent as `text[]`. (Bytes are not an array of anything: use `.bytea(...)`.)
extension Array: PostgresEncodable where Element == String {
    public var postgresValue: PostgresValue { .textArray(self) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresValue: PostgresValue { self?.postgresValue ?? .null }
}

/// JSON text, decoded from `json` / `jsonb` columns and sent as `jsonb`.
public struct PostgresJSON: Sendable, Hashable, PostgresEncodable {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var postgresValue: PostgresValue { .jsonb(text) }
}
