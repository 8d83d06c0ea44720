/// The OID of a PostgreSQL type (`pg_type.oid`), as reported by PQftype and sent with parameters.
public struct PostgresTypeOID: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// "Let the server infer the type" (used for NULL parameters).
    public static let unspecified = PostgresTypeOID(0)
    public static let bool = PostgresTypeOID(16)
    public static let bytea = PostgresTypeOID(17)
    public static let char = PostgresTypeOID(18)
    public static let name = PostgresTypeOID(19)
    public static let int8 = PostgresTypeOID(20)
    public static let int2 = PostgresTypeOID(21)
    public static let int4 = PostgresTypeOID(23)
    public static let text = PostgresTypeOID(25)
    public static let oid = PostgresTypeOID(26)
    public static let json = PostgresTypeOID(114)
    public static let float4 = PostgresTypeOID(700)
    public static let float8 = PostgresTypeOID(701)
    public static let unknown = PostgresTypeOID(705)
    public static let bpchar = PostgresTypeOID(1042)
    public static let varchar = PostgresTypeOID(1043)
    public static let date = PostgresTypeOID(1082)
    public static let time = PostgresTypeOID(1083)
    public static let timestamp = PostgresTypeOID(1114)
    public static let timestamptz = PostgresTypeOID(1184)
    public static let interval = PostgresTypeOID(1186)
    public static let numeric = PostgresTypeOID(1700)
    public static let uuid = PostgresTypeOID(2950)
    public static let jsonb = PostgresTypeOID(3802)

    public static let boolArray = PostgresTypeOID(1000)
    public static let byteaArray = PostgresTypeOID(1001)
    public static let int2Array = PostgresTypeOID(1005)
    public static let int4Array = PostgresTypeOID(1007)
    public static let textArray = PostgresTypeOID(1009)
    public static let bpcharArray = PostgresTypeOID(1014)
    public static let varcharArray = PostgresTypeOID(1015)
    public static let int8Array = PostgresTypeOID(1016)
    public static let uuidArray = PostgresTypeOID(2951)

    private static let names: [UInt32: String] = [
        0: "unspecified", 16: "bool", 17: "bytea", 18: "char", 19: "name", 20: "int8", 21: "int2",
        23: "int4", 25: "text", 26: "oid", 114: "json", 700: "float4", 701: "float8", 705: "unknown",
        1042: "bpchar", 1043: "varchar", 1082: "date", 1083: "time", 1114: "timestamp",
        1184: "timestamptz", 1186: "interval", 1700: "numeric", 2950: "uuid", 3802: "jsonb",
        1000: "bool[]", 1001: "bytea[]", 1005: "int2[]", 1007: "int4[]", 1009: "text[]",
        1014: "bpchar[]", 1015: "varchar[]", 1016: "int8[]", 2951: "uuid[]",
    ]

    /// The type name for well-known types, otherwise "oid <n>"; used in error messages.
    public var description: String {
        Self.names[rawValue] ?? "oid \(rawValue)"
    }
}
