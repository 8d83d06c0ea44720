import Foundation
import Testing
import Postgres

struct Boom: Error {}

@Suite struct TransactionTests {
    func count(_ connection: PostgresConnection, _ table: String) throws -> Int {
        try connection.query("SELECT count(*) FROM \(table)")[0].decode(Int.self, column: 0)
    }

    @Test func commitAndReturnValue() throws {
        let connection = try connect()
        try connection.query("CREATE TEMP TABLE committed (id int)")
        let value = try connection.transaction { tx in
            try tx.query("INSERT INTO committed VALUES (1)")
            return "done"
        }
        #expect(value == "done")
        #expect(try count(connection, "committed") == 1)
    }

    @Test func rollbackIsolates() throws {
        let connection = try connect()
        let observer = try connect()
        let schema = try TestSchema(connection)
        defer { schema.drop(connection) }
        let table = "\(schema.name).items"
        try connection.query("CREATE TABLE \(table) (id int PRIMARY KEY)")

        #expect(throws: Boom.self) {
            try connection.transaction { tx in
                try tx.query("INSERT INTO \(table) VALUES (1)")
                #expect(try count(tx, table) == 1)
                #expect(try count(observer, table) == 0) // not visible before commit
                throw Boom()
            }
        }
        #expect(try count(connection, table) == 0)
        #expect(try count(observer, table) == 0)
        // The connection is usable again, outside any transaction.
        try connection.query("INSERT INTO \(table) VALUES (2)")
        #expect(try count(observer, table) == 1)
    }

    @Test func savepointRollsBackOnlyItsPart() throws {
        let connection = try connect()
        try connection.query("CREATE TEMP TABLE partial (id int PRIMARY KEY)")
        try connection.transaction(isolation: .repeatableRead) { tx in
            try tx.query("INSERT INTO partial VALUES (1)")
            let error = #expect(throws: PostgresError.self) {
                try tx.savepoint("dup") { sp in
                    try sp.query("INSERT INTO partial VALUES (2)")
                    try sp.query("INSERT INTO partial VALUES (1)") // unique violation aborts only the savepoint
                }
            }
            #expect(error?.category == .uniqueViolation)
            #expect(throws: Boom.self) {
                try tx.savepoint { sp in
                    try sp.query("INSERT INTO partial VALUES (3)")
                    throw Boom()
                }
            }
            let kept = try tx.savepoint("ok") { sp in
                try sp.query("INSERT INTO partial VALUES (4)").affectedRows
            }
            #expect(kept == 1)
        }
        let ids = try connection.query("SELECT id FROM partial ORDER BY id").map { try $0.decode(Int.self, column: 0) }
        #expect(ids == [1, 4])
    }

    @Test func commitOfAFailedTransactionThrows() throws {
        let connection = try connect()
        try connection.query("CREATE TEMP TABLE swallowed (id int PRIMARY KEY)")
        #expect(throws: PostgresError.self) {
            try connection.transaction { tx in
                try tx.query("INSERT INTO swallowed VALUES (1)")
                _ = try? tx.query("INSERT INTO swallowed VALUES (1)") // error swallowed: tx is aborted
            }
        }
        #expect(try count(connection, "swallowed") == 0)
    }

    @Test func nestedTransactionIsRefused() throws {
        let connection = try connect()
        try connection.query("CREATE TEMP TABLE nested (id int)")
        #expect(throws: PostgresError.self) {
            try connection.transaction { tx in
                try tx.query("INSERT INTO nested VALUES (1)")
                try tx.transaction { _ in }
            }
        }
        #expect(try count(connection, "nested") == 0)
    }

    @Test func isolationLevelIsApplied() throws {
        let connection = try connect()
        let level = try connection.transaction(isolation: .serializable) { tx in
            try tx.query("SHOW transaction_isolation")[0].decode(String.self, column: 0)
        }
        #expect(level == "serializable")
    }
}

@Suite struct ServerErrorTests {
    @Test func syntaxError() throws {
        let connection = try connect()
        let error = #expect(throws: PostgresError.self) { try connection.query("SELEC 1") }
        #expect(error?.category == .other)
        #expect(error?.sqlState == "42601")
        #expect(error?.message.contains("syntax error") == true)
        #expect(error?.isTransient == false)
        #expect(try connection.query("SELECT 1")[0].decode(Int.self, column: 0) == 1)
    }

    @Test func uniqueViolation() throws {
        let connection = try connect()
        try connection.query("CREATE TEMP TABLE uniq (id int, CONSTRAINT uniq_id_key UNIQUE (id))")
        try connection.query("INSERT INTO uniq VALUES (1)")
        let error = #expect(throws: PostgresError.self) { try connection.query("INSERT INTO uniq VALUES ($1)", 1) }
        #expect(error?.category == .uniqueViolation)
        #expect(error?.sqlState == "23505")
        #expect(error?.constraint == "uniq_id_key")
        #expect(error?.detail?.contains("(id)=(1)") == true)
    }

    @Test func statementTimeoutIsTransient() throws {
        let connection = try connect()
        try connection.query("SET statement_timeout = '50ms'")
        let error = #expect(throws: PostgresError.self) { try connection.query("SELECT pg_sleep(5)") }
        #expect(error?.category == .queryCanceled)
        #expect(error?.isTransient == true)
    }

    @Test func serializationFailure() throws {
        let first = try connect()
        let second = try connect()
        let schema = try TestSchema(first)
        defer { schema.drop(first) }
        let table = "\(schema.name).counters"
        try first.query("CREATE TABLE \(table) (id int PRIMARY KEY, n int)")
        try first.query("INSERT INTO \(table) VALUES (1, 0)")

        let error = #expect(throws: PostgresError.self) {
            try first.transaction(isolation: .serializable) { tx in
                _ = try tx.query("SELECT n FROM \(table) WHERE id = 1") // takes the snapshot
                try second.query("UPDATE \(table) SET n = n + 1 WHERE id = 1") // commits concurrently
                try tx.query("UPDATE \(table) SET n = n + 1 WHERE id = 1")
            }
        }
        #expect(error?.category == .serializationFailure)
        #expect(error?.sqlState == "40001")
        #expect(error?.isTransient == true)
    }

    @Test func deadlock() throws {
        let first = try connect()
        let second = try connect()
        let schema = try TestSchema(first)
        defer { schema.drop(first) }
        let table = "\(schema.name).locks"
        try first.query("CREATE TABLE \(table) (id int PRIMARY KEY, n int)")
        try first.query("INSERT INTO \(table) VALUES (1, 0), (2, 0)")
        for connection in [first, second] {
            try connection.query("SET deadlock_timeout = '100ms'")
            try connection.query("BEGIN")
        }
        try first.query("UPDATE \(table) SET n = 1 WHERE id = 1")
        try second.query("UPDATE \(table) SET n = 1 WHERE id = 2")
        let blocked = BackgroundWork { try first.query("UPDATE \(table) SET n = 2 WHERE id = 2") }
        let observer = try connect()
        #expect(try eventually {
            try observer.query("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1", first.backendPID)
                .first?.decode(Bool?.self, column: 0) == true
        })
        let secondOutcome = Result { try second.query("UPDATE \(table) SET n = 2 WHERE id = 1") }
        if case .failure = secondOutcome {
            _ = try? second.query("ROLLBACK") // lets the first connection's update proceed
        }
        let firstOutcome = try #require(blocked.wait(timeout: 30))
        let errors = [firstOutcome.map { _ in () }, secondOutcome.map { _ in () }].compactMap { outcome -> PostgresError? in
            if case .failure(let error) = outcome { return error as? PostgresError }
            return nil
        }
        #expect(errors.count == 1)
        #expect(errors.first?.category == .deadlock)
        #expect(errors.first?.sqlState == "40P01")
        #expect(errors.first?.isTransient == true)
        _ = try? first.query("ROLLBACK")
        _ = try? second.query("ROLLBACK")
    }
}
