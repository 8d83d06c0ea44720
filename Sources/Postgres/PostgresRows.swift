/// The complete result of one statement, copied out of libpq (so it outlives the PGresult).
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// Column names, in result order.
    public var columns: [String]
    /// Column type OIDs (PQftype), in result order.
    public var columnTypes: [PostgresTypeOID]
    /// Rows affected by INSERT/UPDATE/DELETE/MERGE/COPY (PQcmdTuples); 0 when not applicable.
    public var affectedRows: Int
    /// The command tag, e.g. "INSERT 0 1" (PQcmdStatus).
    public var commandTag: String
    private var values: [[String?]]

    public init(columns: [String], columnTypes: [PostgresTypeOID], values: [[String?]], affectedRows: Int = 0, commandTag: String = "") {
        self.columns = columns
        self.columnTypes = columnTypes
        self.values = values
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }

    public var count: Int { values.count }
    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }

    public subscript(i: Int) -> PostgresRow {
        PostgresRow(columns: columns, columnTypes: columnTypes, values: values[i])
    }
}

/// One result row; values are kept in the server's text format and decoded on request.
public struct PostgresRow: Sendable {
    public let columns: [String]
    public let columnTypes: [PostgresTypeOID]
    private let values: [String?]

    public init(columns: [String], columnTypes: [PostgresTypeOID], values: [String?]) {
        precondition(columns.count == columnTypes.count && columns.count == values.count, "column count mismatch")
        self.columns = columns
        self.columnTypes = columnTypes
        self.values = values
    }

    public var columnCount: Int { values.count }

    /// True for SQL NULL; false for a value or an out-of-range column.
    public func isNull(_ column: Int) -> Bool {
        values.indices.contains(column) && values[column] == nil
    }

    /// Decodes a non-NULL value; NULL is a `.decoding` error naming the column.
    public func decode<T: PostgresDecodable>(_ type: T.Type, column: Int) throws -> T {
        guard let value = try decode(T?.self, column: column) else {
            throw PostgresError.decoding("column \(describe(column)) is NULL; decode as \(T.self)? to accept NULL")
        }
        return value
    }

    /// Decodes a value that may be NULL: `row.decode(Int?.self, column: 0)`.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, column: Int) throws -> T? {
        guard values.indices.contains(column) else {
            throw PostgresError.decoding("column index \(column) out of range; the row has \(values.count) columns")
        }
        guard let text = values[column] else { return nil }
        do {
            return try T.decode(text: text, type: columnTypes[column])
        } catch var error as PostgresError {
            error.message = "column \(describe(column)): \(error.message)"
            throw error
        }
    }

    /// Decodes a non-NULL value of the first column with this name.
    public func decode<T: PostgresDecodable>(_ type: T.Type, _ name: String) throws -> T {
        try decode(type, column: index(of: name))
    }

    /// Decodes a value that may be NULL from the first column with this name.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, _ name: String) throws -> T? {
        try decode(type, column: index(of: name))
    }

    private func index(of name: String) throws -> Int {
        guard let index = columns.firstIndex(of: name) else {
            throw PostgresError.decoding("no column named \"\(name)\"; columns are \(columns)")
        }
        return index
    }

    private func describe(_ column: Int) -> String {
        "\(column) (\"\(columns[column])\", \(columnTypes[column]))"
    }
}
