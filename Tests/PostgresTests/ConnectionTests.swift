import Foundation
import Testing
import Postgres

@Suite struct ConnectionTests {
    @Test func connectErrorsHideThePassword() {
        for conninfo in [
            "postgresql://ombud:Sup3rSecretPw@127.0.0.1:1/ombud?connect_timeout=2",
            "host=127.0.0.1 port=1 user=ombud password=Sup3rSecretPw dbname=ombud connect_timeout=2",
            "postgresql://ombud:Sup3rSecretPw%ZZ@127.0.0.1:1/ombud",
        ] {
            let error = #expect(throws: PostgresError.self) { try PostgresConnection(conninfo) }
            #expect(error?.category == .connectionLost)
            #expect(error?.message.isEmpty == false)
            #expect(error.map { !String(describing: $0).contains("Sup3rSecretPw") } == true, "\(String(describing: error))")
        }
    }

    @Test func keywordConninfoAndClose() throws {
        // The test database's URL rewritten as keywords (its port follows OMBUD_LOCAL_PG_PORT and friends).
        let url = try #require(URLComponents(string: databaseURL))
        let keywords = "host=\(url.host ?? "127.0.0.1") port=\(url.port ?? 5432) user=\(url.user ?? "ombud")"
            + " dbname=\(url.path.dropFirst()) sslmode=disable"
        let connection = try PostgresConnection(keywords)
        #expect(connection.isConnected)
        #expect(connection.backendPID > 0)
        connection.close()
        #expect(!connection.isConnected)
        let error = #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
        #expect(error?.category == .connectionLost)
        try connection.reconnect()
        #expect(try connection.query("SELECT 1")[0].decode(Int.self, column: 0) == 1)
    }

    @Test func recoversAfterTermination() throws {
        let connection = try connect()
        let admin = try connect()
        let channel = uniqueName("recover")
        try connection.listen(channel)
        let oldPID = connection.backendPID

        #expect(try admin.query("SELECT pg_terminate_backend($1::int)", oldPID)[0].decode(Bool.self, column: 0))
        #expect(try eventually {
            try admin.query("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", oldPID)[0].decode(Int.self, column: 0) == 0
        })

        let error = #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
        #expect(error?.category == .connectionLost)
        #expect(error?.isTransient == true)
        #expect(!connection.isConnected)
        let again = #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
        #expect(again?.category == .connectionLost)

        try connection.reconnect()
        #expect(connection.isConnected)
        #expect(connection.backendPID != oldPID)
        #expect(try connection.query("SELECT 1")[0].decode(Int.self, column: 0) == 1)
        #expect(connection.channels == [channel])

        try admin.notify(channel, payload: "after reconnect")
        let received = try connection.waitForNotifications(timeout: 5)
        #expect(received.map(\.payload) == ["after reconnect"])
    }

    @Test func terminationNoticedWhileWaitingForNotifications() throws {
        let connection = try connect()
        let admin = try connect()
        try connection.listen(uniqueName("idle"))
        try admin.query("SELECT pg_terminate_backend($1::int)", connection.backendPID)
        let error = #expect(throws: PostgresError.self) { _ = try connection.waitForNotifications(timeout: 5) }
        #expect(error?.category == .connectionLost)
        try connection.reconnect()
        #expect(try connection.waitForNotifications(timeout: 0.05) == [])
    }
}

@Suite struct NotificationTests {
    @Test func notifyFromAnotherConnection() throws {
        let listener = try connect()
        let sender = try connect()
        let channel = uniqueName("Jobs \"ready\"") // needs quoting
        try listener.listen(channel)
        try sender.notify(channel, payload: "first")
        try sender.notify(channel, payload: "second, with 'quotes'")

        var received: [PostgresNotification] = []
        #expect(try eventually(timeout: 5) {
            received += try listener.waitForNotifications(timeout: 1)
            return received.count >= 2
        })
        #expect(received.map(\.payload) == ["first", "second, with 'quotes'"])
        #expect(received.allSatisfy { $0.channel == channel && $0.pid == sender.backendPID })

        try listener.unlisten(channel)
        try sender.notify(channel, payload: "ignored")
        #expect(try listener.waitForNotifications(timeout: 0.2) == [])
    }

    @Test func timeoutReturnsEmptyQuickly() throws {
        let listener = try connect()
        try listener.listen(uniqueName("quiet"))
        let start = Date()
        #expect(try listener.waitForNotifications(timeout: 0.1) == [])
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(try listener.waitForNotifications(timeout: 0) == [])
    }

    @Test func notificationsQueuedDuringQueriesAreKept() throws {
        let connection = try connect()
        let channel = uniqueName("self")
        try connection.listen(channel)
        try connection.notify(channel, payload: "to myself")
        try connection.query("SELECT 1")
        let received = try connection.waitForNotifications(timeout: 2)
        #expect(received == [PostgresNotification(channel: channel, payload: "to myself", pid: connection.backendPID)])
    }
}
