import Testing
@testable import Postgres

@Suite struct SQLStateMappingTests {
    @Test(arguments: [
        ("40001", PostgresError.Category.serializationFailure),
        ("40P01", .deadlock),
        ("23505", .uniqueViolation),
        ("08000", .connectionLost),
        ("08006", .connectionLost),
        ("08P01", .connectionLost),
        ("57P01", .connectionLost),
        ("57P02", .connectionLost),
        ("57P03", .connectionLost),
        ("57014", .queryCanceled),
        ("55P03", .queryCanceled),
        ("42601", .other),
        ("23503", .other),
        ("40000", .other),
    ])
    func mapping(_ sqlState: String, _ category: PostgresError.Category) {
        #expect(PostgresError.Category(sqlState: sqlState) == category)
    }

    @Test func missingSQLState() {
        #expect(PostgresError.Category(sqlState: nil) == .other)
    }

    @Test func transience() {
        let transient: [PostgresError.Category] = [.serializationFailure, .deadlock, .connectionLost, .queryCanceled]
        let permanent: [PostgresError.Category] = [.uniqueViolation, .decoding, .other]
        #expect(transient.allSatisfy { PostgresError($0, message: "").isTransient })
        #expect(!permanent.contains { PostgresError($0, message: "").isTransient })
    }

    @Test func description() {
        let error = PostgresError(.uniqueViolation, message: "duplicate key", sqlState: "23505", detail: "Key (id)=(1) already exists.", constraint: "t_pkey")
        #expect(error.description.contains("23505"))
        #expect(error.description.contains("t_pkey"))
        #expect(error.description.contains("Key (id)=(1)"))
    }
}

@Suite struct ConnInfoTests {
    @Test func passwordsInURIs() {
        #expect(ConnInfo.passwords(in: "postgresql://ombud:s3cret@127.0.0.1:5442/ombud") == ["s3cret"])
        #expect(ConnInfo.passwords(in: "postgres://u:p%40ss@h/db?sslmode=require") == ["p%40ss", "p@ss"])
        #expect(ConnInfo.passwords(in: "postgresql://u@h/db?password=qwerty&sslmode=disable") == ["qwerty"])
        #expect(ConnInfo.passwords(in: "postgresql://ombud@127.0.0.1/ombud") == [])
    }

    @Test func passwordsInKeywordStrings() {
        #expect(ConnInfo.passwords(in: "host=h password=abc dbname=x") == ["abc"])
        #expect(ConnInfo.passwords(in: "host=h password = 'it\\'s secret' dbname=x") == ["it's secret"])
        #expect(ConnInfo.passwords(in: "host=h dbname=x") == [])
    }

    @Test func redaction() {
        let message = ConnInfo.redact("invalid percent-encoded token: \"hunter%ZZ2\"", conninfo: "postgresql://u:hunter%ZZ2@h/db")
        #expect(!message.contains("hunter"))
        #expect(message.contains("********"))
    }

    @Test func identifierQuoting() throws {
        #expect(try SQLText.quoteIdentifier("jobs") == "\"jobs\"")
        #expect(try SQLText.quoteIdentifier("we\"ird; DROP") == "\"we\"\"ird; DROP\"")
        #expect(throws: PostgresError.self) { try SQLText.quoteIdentifier("") }
    }
}
