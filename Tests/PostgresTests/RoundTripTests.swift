import Foundation
import Testing
import Postgres

@Suite struct RoundTripTests {
    /// Sends `value` as `$1::cast` and decodes the echoed value as the same Swift type.
    func echo<T: PostgresEncodable & PostgresDecodable>(_ value: T, _ cast: String, on connection: PostgresConnection) throws -> T {
        try connection.query("SELECT $1::\(cast)", value)[0].decode(T.self, column: 0)
    }

    @Test func scalarsThroughTheServer() throws {
        let connection = try connect()
        #expect(try echo(Int64.max, "int8", on: connection) == Int64.max)
        #expect(try echo(-42, "int4", on: connection) == -42)
        #expect(try echo(Int32.min, "int4", on: connection) == Int32.min)
        #expect(try echo("héllo 'quoted' \"x\" \\ ✓", "text", on: connection) == "héllo 'quoted' \"x\" \\ ✓")
        #expect(try echo("", "varchar", on: connection) == "")
        #expect(try echo(true, "bool", on: connection) == true)
        #expect(try echo(false, "bool", on: connection) == false)
        for text in ["0.1", "-12.345", "123456789012345678901234567890", "-0.000000000000000000000000000001", "0"] {
            #expect(try echo(decimal(text), "numeric", on: connection) == decimal(text))
        }
        let uuid = UUID()
        #expect(try echo(uuid, "uuid", on: connection) == uuid)
        let date = PostgresDate(year: 2026, month: 11, day: 20)
        #expect(try echo(date, "date", on: connection) == date)
        #expect(try echo(PostgresDate(year: -43, month: 3, day: 15), "date", on: connection) == PostgresDate(year: -43, month: 3, day: 15))
        let array = ["a", "b,c", "with \"quote\"", "back\\slash", "NULL", "", "{x}"]
        #expect(try echo(array, "text[]", on: connection) == array)
        #expect(try echo([String](), "text[]", on: connection) == [])
        #expect(try echo(PostgresJSON(#"{"a": [1, 2]}"#), "jsonb", on: connection) == PostgresJSON(#"{"a": [1, 2]}"#))
    }

    @Test func timestampsThroughTheServer() throws {
        let connection = try connect()
        for interval in [1_795_176_000.123456, 0, -0.5, 1_000_000_000.000001] {
            let sent = Date(timeIntervalSince1970: interval)
            let received = try echo(sent, "timestamptz", on: connection)
            #expect(abs(received.timeIntervalSince1970 - interval) < 0.000_001)
        }
        // The server prints in the session time zone; any offset must decode to the same instant.
        try connection.query("SET TIME ZONE 'Asia/Kolkata'")
        let row = try connection.query("SELECT $1::timestamptz, $1::timestamptz::text", Date(timeIntervalSince1970: 1_795_176_000.25))[0]
        #expect(try row.decode(String.self, column: 1) == "2026-11-20 17:30:00.25+05:30")
        #expect(try row.decode(Date.self, column: 0).timeIntervalSince1970 == 1_795_176_000.25)
        let plain = try connection.query("SELECT '2026-11-20 12:00:00.5'::timestamp")[0].decode(Date.self, column: 0)
        #expect(plain.timeIntervalSince1970 == 1_795_176_000.5)
    }

    @Test func byteaAndJSON() throws {
        let connection = try connect()
        let bytes: [UInt8] = [0, 1, 127, 128, 255, 0x5c, 0x22]
        let row = try connection.query("SELECT $1::bytea, $2::json, $3::jsonb", [.bytea(bytes), .json(#"{"k": "v"}"#), .jsonb(#"{"k":"v"}"#)])[0]
        #expect(try row.decode([UInt8].self, column: 0) == bytes)
        #expect(try row.decode(String.self, column: 1) == #"{"k": "v"}"#)
        #expect(try row.decode(PostgresJSON.self, column: 2).text == #"{"k": "v"}"#)
        #expect(try connection.query("SELECT ''::bytea")[0].decode([UInt8].self, column: 0) == [])
    }

    @Test func nullsAndOptionals() throws {
        let connection = try connect()
        let none: Int? = nil
        let row = try connection.query("SELECT $1::int8 AS a, $2::text AS b, $3::int8 AS c, NULL::text[] AS d", none, nil, Int?.some(7))[0]
        #expect(row.isNull(0) && row.isNull(1) && !row.isNull(2))
        #expect(try row.decode(Int?.self, column: 0) == nil)
        #expect(try row.decode(String?.self, "b") == nil)
        #expect(try row.decode(Int?.self, "c") == 7)
        #expect(try row.decode([String]?.self, "d") == nil)
        let error = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: 0) }
        #expect(error?.category == .decoding)
        #expect(error?.message.contains("\"a\"") == true)
        let unknown = #expect(throws: PostgresError.self) { try row.decode(Int.self, "missing") }
        #expect(unknown?.message.contains("missing") == true)
        #expect(throws: PostgresError.self) { try row.decode(Int.self, column: 9) }
        let arrayWithNull = try connection.query("SELECT ARRAY['x', NULL, 'y']")[0]
        #expect(try arrayWithNull.decode([String?].self, column: 0) == ["x", nil, "y"])
        #expect(throws: PostgresError.self) { try arrayWithNull.decode([String].self, column: 0) }
    }

    @Test func decimalsSummedByTheServer() throws {
        let connection = try connect()
        try connection.query("CREATE TEMP TABLE amounts (v numeric NOT NULL)")
        try connection.query("INSERT INTO amounts VALUES ($1), ($2)", decimal("0.1"), decimal("0.2"))
        let sum = try connection.query("SELECT sum(v) FROM amounts")[0].decode(Decimal.self, column: 0)
        #expect(sum == decimal("0.3"))
        let nan = #expect(throws: PostgresError.self) { try connection.query("SELECT 'NaN'::numeric")[0].decode(Decimal?.self, column: 0) }
        #expect(nan?.category == .decoding)
    }

    @Test func everyTypeThroughARealTable() throws {
        let connection = try connect()
        try connection.query("""
            CREATE TEMP TABLE every_type (
              id int8 PRIMARY KEY, small int4, label text, name varchar(20), flag bool, amount numeric(40, 10),
              at timestamptz, at_local timestamp, day date, uid uuid, doc json, docb jsonb, raw bytea, tags text[])
            """)
        let at = Date(timeIntervalSince1970: 1_795_176_000.654321)
        let uuid = UUID()
        let values: [PostgresValue] = [
            .int(1), .int(-5), .text("label"), .text("name"), .bool(true), .decimal(decimal("-1234567890.0123456789")),
            .timestamp(at), .timestamp(at), .date(PostgresDate(year: 2026, month: 2, day: 28)), .uuid(uuid),
            .json("[1,2]"), .jsonb(#"{"b":1,"a":2}"#), .bytea([1, 2, 3]), .textArray(["x", "y,z"]),
        ]
        let inserted = try connection.query("INSERT INTO every_type VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)", values)
        #expect(inserted.affectedRows == 1)
        try connection.query("INSERT INTO every_type (id) VALUES ($1)", 2)

        let rows = try connection.query("SELECT * FROM every_type ORDER BY id")
        #expect(rows.count == 2)
        #expect(rows.columns.first == "id" && rows.columns.last == "tags")
        let row = rows[0]
        #expect(try row.decode(Int64.self, "id") == 1)
        #expect(try row.decode(Int32.self, "small") == -5)
        #expect(try row.decode(String.self, "label") == "label")
        #expect(try row.decode(String.self, "name") == "name")
        #expect(try row.decode(Bool.self, "flag"))
        #expect(try row.decode(Decimal.self, "amount") == decimal("-1234567890.0123456789"))
        #expect(abs(try row.decode(Date.self, "at").timeIntervalSince(at)) < 0.000_001)
        #expect(abs(try row.decode(Date.self, "at_local").timeIntervalSince(at)) < 0.000_001) // session TimeZone is UTC here
        #expect(try row.decode(PostgresDate.self, "day") == PostgresDate("2026-02-28"))
        #expect(try row.decode(UUID.self, "uid") == uuid)
        #expect(try row.decode(PostgresJSON.self, "doc").text == "[1,2]")
        #expect(try row.decode(PostgresJSON.self, "docb").text == #"{"a": 2, "b": 1}"#)
        #expect(try row.decode([UInt8].self, "raw") == [1, 2, 3])
        #expect(try row.decode([String].self, "tags") == ["x", "y,z"])

        let empty = rows[1]
        for column in 1..<empty.columnCount {
            #expect(empty.isNull(column))
        }
        #expect(try empty.decode(Decimal?.self, "amount") == nil)
        #expect(try empty.decode(Date?.self, "at") == nil)
        #expect(try empty.decode(UUID?.self, "uid") == nil)
        #expect(try empty.decode([UInt8]?.self, "raw") == nil)
        #expect(throws: PostgresError.self) { try empty.decode(Date.self, "at") }

        let optionalNil: Decimal? = nil
        let updated = try connection.query("UPDATE every_type SET amount = $1 WHERE id = $2", optionalNil, 1)
        #expect(updated.affectedRows == 1)
        #expect(try connection.query("SELECT amount FROM every_type WHERE id = 1")[0].decode(Decimal?.self, column: 0) == nil)
        #expect(Array(try connection.query("SELECT id FROM every_type ORDER BY id").map { try $0.decode(Int.self, column: 0) }) == [1, 2])
    }

    @Test func parametersAreNeverInterpolated() throws {
        let connection = try connect()
        let hostile = "'); DROP TABLE x; --"
        #expect(try connection.query("SELECT $1::text", hostile)[0].decode(String.self, column: 0) == hostile)
        #expect(throws: PostgresError.self) { try connection.query("SELECT $1::text", "nul\u{0}byte") }
    }

    @Test func scripts() throws {
        let connection = try connect()
        try connection.execute(script: """
            CREATE TEMP TABLE migrated (id int PRIMARY KEY);
            INSERT INTO migrated VALUES (1), (2);
            INSERT INTO migrated VALUES (3);
            """)
        #expect(try connection.query("SELECT count(*) FROM migrated")[0].decode(Int.self, column: 0) == 3)
        #expect(throws: PostgresError.self) { try connection.execute(script: "INSERT INTO migrated VALUES (4); SELEC 1;") }
        #expect(try connection.query("SELECT count(*) FROM migrated")[0].decode(Int.self, column: 0) == 3)
    }

    @Test func applicationNameAndEncoding() throws {
        let connection = try connect()
        let row = try connection.query("SELECT current_setting('application_name'), current_setting('client_encoding'), pg_backend_pid()")[0]
        #expect(try row.decode(String.self, column: 0) == "ombud-postgres-tests")
        #expect(try row.decode(String.self, column: 1) == "UTF8")
        #expect(try row.decode(Int32.self, column: 2) == connection.backendPID)
        #expect(connection.conninfo == databaseURL)
    }
}
