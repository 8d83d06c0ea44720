import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A notification received on a channel this connection LISTENs to.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The backend PID of the notifying session.
    public var pid: Int32

    public init(channel: String, payload: String, pid: Int32) {
        self.channel = channel
        self.payload = payload
        self.pid = pid
    }
}

/// What a connection adds to its conninfo: libpq parameters used unless the conninfo sets them (`defaults`, e.g.
/// `keepalives_idle`), and session settings applied after connecting (`settings`, e.g. `statement_timeout`; the
/// names are the caller's own constants, the values are quoted).
public struct PostgresSessionOptions: Sendable, Equatable {
    public var defaults: [String: String]
    public var settings: [String: String]

    public init(defaults: [String: String] = [:], settings: [String: String] = [:]) {
        self.defaults = defaults
        self.settings = settings
    }
}

/// One blocking libpq connection.
///
/// Not thread-safe: use it from one thread at a time. It is `@unchecked Sendable` only so that it
/// can be handed to (and then owned by) a dedicated thread or task.
public final class PostgresConnection: @unchecked Sendable {
    public enum IsolationLevel: Sendable {
        case readCommitted, repeatableRead, serializable

        var sql: String {
            switch self {
            case .readCommitted: "READ COMMITTED"
            case .repeatableRead: "REPEATABLE READ"
            case .serializable: "SERIALIZABLE"
            }
        }
    }

    /// The connection string or URI exactly as given (it may hold a password; do not log it).
    public let conninfo: String
    public let applicationName: String?
    /// Connection parameters and session settings beyond the conninfo (`PostgresSessionOptions`).
    public let session: PostgresSessionOptions
    private var connection: OpaquePointer?
    /// Channels to LISTEN to again after `reconnect()`, in the order they were added.
    private var listenedChannels: [String] = []

    /// Connects with a libpq keyword/value string or a `postgres://` / `postgresql://` URI.
    /// libpq handles every parameter, sslmode included; `client_encoding` is forced to UTF8.
    /// A failure is a `.connectionLost` error whose message never contains the password.
    public init(_ conninfo: String, applicationName: String? = nil, session: PostgresSessionOptions = PostgresSessionOptions()) throws {
        self.conninfo = conninfo
        self.applicationName = applicationName
        self.session = session
        connection = try Self.connect(conninfo, applicationName: applicationName, session: session)
    }

    /// The connection parameters libpq is using (keyword → value, unset ones absent; the password left out), e.g.
    /// `keepalives_idle`: what a connection string and `PostgresSessionOptions.defaults` added up to.
    public func connectionParameters() -> [String: String] {
        guard let connection, let options = PQconninfo(connection) else { return [:] }
        defer { PQconninfoFree(options) }
        var parameters: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if let value = option.pointee.val, name != "password" { parameters[name] = String(cString: value) }
            option += 1
        }
        return parameters
    }

    deinit {
        if let connection { PQfinish(connection) }
    }

    public var backendPID: Int32 {
        connection.map { PQbackendPID($0) } ?? 0
    }

    /// Whether libpq believes the connection is usable. A server-side disconnect is only noticed
    /// at the next query or `waitForNotifications`.
    public var isConnected: Bool {
        connection.map { PQstatus($0) == CONNECTION_OK } ?? false
    }

    /// Closes the connection; later calls throw `.connectionLost` until `reconnect()`.
    public func close() {
        if let connection { PQfinish(connection) }
        connection = nil
        preparedStatements.removeAll()
    }

    /// Opens a fresh connection with the same conninfo, then LISTENs again on every channel.
    public func reconnect() throws {
        let fresh = try Self.connect(conninfo, applicationName: applicationName, session: session)
        close()
        connection = fresh
        for channel in listenedChannels {
            try query("LISTEN \(SQLText.quoteIdentifier(channel))")
        }
    }

    // MARK: Queries

    /// Runs one statement with `$n` parameters, text format both ways.
    ///
    /// A statement with parameters is prepared on first use (PQprepare, per connection and parameter types) and
    /// executed by name afterwards: the server parses and plans it once instead of on every call, which is most of
    /// the cost of the short statements a stage runs per message. Without parameters (BEGIN, COMMIT, SAVEPOINT …)
    /// it runs unprepared.
    @discardableResult
    public func query(_ sql: String, _ params: [PostgresValue] = []) throws -> PostgresRows {
        let connection = try requireConnection()
        let types = params.map { $0.typeOID.rawValue }
        let texts = try params.map { try $0.textRepresentation() }
        if !params.isEmpty, let name = try preparedStatement(sql, types: types, connection) {
            let result = withCStringArray(texts) { values in
                PQexecPrepared(connection, name, Int32(params.count), values, nil, nil, 0)
            }
            return try consume(result)
        }
        let result = withCStringArray(texts) { values in
            PQexecParams(connection, sql, Int32(params.count), types, values, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Prepared statements of this session, by SQL text and parameter types (a NULL is untyped, so the same text
    /// can need a second statement when a parameter is sometimes NULL).
    private var preparedStatements: [PreparedKey: String] = [:]
    /// Beyond this many, statements run unprepared: a program that builds SQL text on the fly must not grow the
    /// server's memory without bound.
    static let preparedStatementLimit = 512

    private struct PreparedKey: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private func preparedStatement(_ sql: String, types: [UInt32], _ connection: OpaquePointer) throws -> String? {
        let key = PreparedKey(sql: sql, types: types)
        if let name = preparedStatements[key] { return name }
        guard preparedStatements.count < Self.preparedStatementLimit else { return nil }
        let name = "ombud_\(preparedStatements.count)"
        // Fails like the statement itself would (syntax, missing table, aborted transaction); nothing is cached then.
        _ = try consume(PQprepare(connection, name, sql, Int32(types.count), types))
        preparedStatements[key] = name
        return name
    }

    /// Variadic convenience: `query("... $1, $2", 42, "x")`; `nil` binds NULL.
    @discardableResult
    public func query(_ sql: String, _ params: (any PostgresEncodable)?...) throws -> PostgresRows {
        try query(sql, params.map { $0?.postgresValue ?? .null })
    }

    /// Runs several `;`-separated statements without parameters (PQexec), e.g. a migration.
    /// Unless the script has its own BEGIN/COMMIT, the statements run in one implicit transaction.
    public func execute(script sql: String) throws {
        let connection = try requireConnection()
        _ = try consume(PQexec(connection, sql))
    }

    // MARK: Transactions

    /// BEGIN, `body`, COMMIT. If `body` throws: ROLLBACK (errors from the rollback itself are
    /// ignored, e.g. on a lost connection) and rethrow the body's error.
    /// A COMMIT that the server turns into a rollback (the transaction had failed) throws.
    /// Throws without doing anything when a transaction is already open (nest with `savepoint`).
    public func transaction<T>(isolation: IsolationLevel = .readCommitted, _ body: (PostgresConnection) throws -> T) throws -> T {
        // A second BEGIN is only a warning, and the inner COMMIT would commit the outer work early.
        if let connection, PQtransactionStatus(connection) != PQTRANS_IDLE {
            throw PostgresError(.other, message: "transaction() called inside an open transaction; use savepoint()", sqlState: "25001")
        }
        try query("BEGIN ISOLATION LEVEL \(isolation.sql)")
        let value: T
        do {
            value = try body(self)
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
        let commit = try query("COMMIT")
        if commit.commandTag == "ROLLBACK" {
            throw PostgresError(.other, message: "COMMIT rolled back: the transaction had already failed", sqlState: "25P02")
        }
        return value
    }

    /// SAVEPOINT, `body`, RELEASE. If `body` throws: ROLLBACK TO SAVEPOINT and RELEASE (so only
    /// the body's work is undone and the outer transaction can go on), then rethrow.
    public func savepoint<T>(_ name: String = "sp", _ body: (PostgresConnection) throws -> T) throws -> T {
        let identifier = try SQLText.quoteIdentifier(name)
        try query("SAVEPOINT \(identifier)")
        let value: T
        do {
            value = try body(self)
        } catch {
            _ = try? query("ROLLBACK TO SAVEPOINT \(identifier)")
            _ = try? query("RELEASE SAVEPOINT \(identifier)")
            throw error
        }
        try query("RELEASE SAVEPOINT \(identifier)")
        return value
    }

    // MARK: LISTEN / NOTIFY

    public func listen(_ channel: String) throws {
        try query("LISTEN \(SQLText.quoteIdentifier(channel))")
        if !listenedChannels.contains(channel) { listenedChannels.append(channel) }
    }

    public func unlisten(_ channel: String) throws {
        try query("UNLISTEN \(SQLText.quoteIdentifier(channel))")
        listenedChannels.removeAll { $0 == channel }
    }

    /// The channels that `reconnect()` will LISTEN to again.
    public var channels: [String] { listenedChannels }

    public func notify(_ channel: String, payload: String) throws {
        try query("SELECT pg_notify($1, $2)", [.text(channel), .text(payload)])
    }

    /// Returns the notifications already received, or waits up to `timeout` seconds for at least
    /// one; `[]` on timeout. A dropped connection throws `.connectionLost`.
    public func waitForNotifications(timeout: Double) throws -> [PostgresNotification] {
        let connection = try requireConnection()
        let deadline = Date().addingTimeInterval(max(0, timeout))
        while true {
            // Notifications can also arrive during ordinary queries; libpq queues them.
            guard PQconsumeInput(connection) == 1 else { throw connectionError(connection) }
            let received = drainNotifications(connection)
            if !received.isEmpty { return received }

            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return [] }
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
            guard descriptor.fd >= 0 else { throw connectionError(connection) }
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000, Double(Int32.max)).rounded(.up)))
            if ready < 0 && errno != EINTR {
                throw PostgresError(.connectionLost, message: "poll failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    private func drainNotifications(_ connection: OpaquePointer) -> [PostgresNotification] {
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(connection) {
            notifications.append(PostgresNotification(
                channel: String(cString: notify.pointee.relname),
                payload: String(cString: notify.pointee.extra),
                pid: notify.pointee.be_pid
            ))
            PQfreemem(notify)
        }
        return notifications
    }

    // MARK: libpq plumbing

    private func requireConnection() throws -> OpaquePointer {
        guard let connection else {
            throw PostgresError(.connectionLost, message: "connection is closed")
        }
        guard PQstatus(connection) == CONNECTION_OK else { throw connectionError(connection) }
        return connection
    }

    private static func connect(_ conninfo: String, applicationName: String?, session: PostgresSessionOptions) throws -> OpaquePointer {
        // expand_dbname = 1: `dbname` may be a whole conninfo/URI; libpq takes keywords in order, the last value of a
        // keyword winning, so the defaults go before it (the conninfo overrides them) and ours after it.
        let defaults = session.defaults.sorted { $0.key < $1.key }
        var keywords: [String?] = defaults.map(\.key) + ["dbname", "client_encoding"]
        var values: [String?] = defaults.map(\.value) + [conninfo, "UTF8"]
        if let applicationName {
            keywords.append("application_name")
            values.append(applicationName)
        }
        let connection = withCStringArray(keywords + [nil]) { keywordPointers in
            withCStringArray(values + [nil]) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(.connectionLost, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = ConnInfo.redact(Self.errorMessage(connection), conninfo: conninfo)
            PQfinish(connection)
            throw PostgresError(.connectionLost, message: message)
        }
        // libpq prints NOTICEs (e.g. "drop cascades to ...") to stderr by default; a worker should not.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        // Decoders rely on these output formats, whatever the server or role defaults are.
        let settings = session.settings.sorted { $0.key < $1.key }.map { "; SET \($0.key) TO '\($0.value.replacingOccurrences(of: "'", with: "''"))'" }
        let setup = PQexec(connection, "SET DateStyle TO ISO; SET bytea_output TO hex" + settings.joined())
        defer { PQclear(setup) }
        guard PQresultStatus(setup) == PGRES_COMMAND_OK else {
            let message = ConnInfo.redact(Self.errorMessage(connection), conninfo: conninfo)
            PQfinish(connection)
            throw PostgresError(.connectionLost, message: "session setup failed: \(message)")
        }
        return connection
    }

    /// Turns a PGresult into rows or a thrown error; always PQclears it.
    private func consume(_ result: OpaquePointer?) throws -> PostgresRows {
        guard let connection else { throw PostgresError(.connectionLost, message: "connection is closed") }
        guard let result else { throw connectionError(connection) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Self.rows(from: result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            throw PostgresError(.other, message: "COPY is not supported")
        default:
            throw Self.error(from: result, connection: connection)
        }
    }

    private static func rows(from result: OpaquePointer) -> PostgresRows {
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        let types = (0..<columnCount).map { PostgresTypeOID(PQftype(result, $0)) }
        let values: [[String?]] = (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
        return PostgresRows(
            columns: columns,
            columnTypes: types,
            values: values,
            affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0,
            commandTag: String(cString: PQcmdStatus(result))
        )
    }

    private static func error(from result: OpaquePointer, connection: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let sqlState = field("C")
        // A query that failed because the socket died leaves the connection CONNECTION_BAD.
        let category: PostgresError.Category = PQstatus(connection) == CONNECTION_BAD
            ? .connectionLost
            : PostgresError.Category(sqlState: sqlState)
        return PostgresError(
            category,
            message: field("M") ?? errorMessage(connection),
            sqlState: sqlState,
            detail: field("D"),
            hint: field("H"),
            constraint: field("n")
        )
    }

    private func connectionError(_ connection: OpaquePointer) -> PostgresError {
        let message = Self.errorMessage(connection)
        let category: PostgresError.Category = PQstatus(connection) == CONNECTION_BAD ? .connectionLost : .other
        return PostgresError(category, message: message.isEmpty ? "connection is not usable" : message)
    }

    private static func errorMessage(_ connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Calls `body` with NUL-terminated copies of `strings` (nil stays a null pointer), freed afterwards.
private func withCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
    let copies = strings.map { $0.map { strdup($0)! } }
    defer { copies.forEach { free($0) } }
    return try body(copies.map { $0.map { UnsafePointer($0) } })
}
