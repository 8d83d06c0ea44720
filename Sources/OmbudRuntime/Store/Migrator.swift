import Foundation
import Postgres

/// One `migrations/NNNN_name.sql` file.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String
    /// Recorded when applied, so an edited migration is noticed instead of silently ignored.
    public var checksum: String { MessageIdentity.contentDigest(Array(sql.utf8)) }
}

public struct MigrationError: Error, CustomStringConvertible {
    public var description: String
}

/// Applies pending migrations in order, in ONE transaction, under an advisory lock (so two
/// processes migrating at once apply each migration once), recording them in `public.schema_migrations`.
/// Re-running is a no-op.
public struct Migrator {
    public let migrations: [Migration]

    public init(migrations: [Migration]) { self.migrations = migrations.sorted { $0.version < $1.version } }

    /// Reads `NNNN_name.sql` files; anything else in the folder is ignored.
    public static func load(directory: URL) throws -> Migrator {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        var migrations: [Migration] = []
        var seen: [Int: String] = [:]
        for file in files where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw MigrationError(description: "migration file '\(file)' must be named NNNN_name.sql")
            }
            if let other = seen[version] {
                throw MigrationError(description: "migrations '\(other)' and '\(file)' share version \(version)")
            }
            seen[version] = file
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        if migrations.isEmpty { throw MigrationError(description: "no NNNN_name.sql files in \(directory.path)") }
        return Migrator(migrations: migrations)
    }

    /// The `migrations/` folder: `OMBUD_MIGRATIONS_DIR`, else the first `migrations/` found walking up
    /// from the working directory and from the executable (so it works from a checkout and from `.build/`).
    public static func locateDirectory(explicit: String? = nil) throws -> URL {
        if let path = explicit ?? OmbudEnvironment.value("OMBUD_MIGRATIONS_DIR") {
            return URL(fileURLWithPath: path)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for start in [URL(fileURLWithPath: FileManager.default.currentDirectoryPath), executable] {
            var dir = start.standardizedFileURL
            while true {
                let candidate = dir.appendingPathComponent("migrations")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("0001_core.sql").path) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw MigrationError(description: "cannot find the migrations folder; pass --migrations-dir or set OMBUD_MIGRATIONS_DIR")
    }

    public struct Applied: Sendable { public var version: Int; public var name: String }

    /// Applies what is pending and returns it (empty when the database is up to date).
    @discardableResult
    public func migrate(_ database: PostgresConnection, progress: (Migration) -> Void = { _ in }) throws -> [Applied] {
        try database.transaction { db in
            // Transaction-scoped: released by COMMIT or ROLLBACK whatever happens.
            try db.query("SELECT pg_advisory_xact_lock(7301620111)")
            try db.execute(script: """
                CREATE TABLE IF NOT EXISTS public.schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """)
            var applied: [Int: String] = [:]
            for row in try db.query("SELECT version, checksum FROM public.schema_migrations") {
                applied[try row.decode(Int.self, column: 0)] = try row.decode(String.self, column: 1)
            }
            var done: [Applied] = []
            for migration in migrations {
                if let checksum = applied[migration.version] {
                    if checksum != migration.checksum {
                        throw MigrationError(description: "migration \(migration.version)_\(migration.name) was changed after it was applied; add a new migration instead")
                    }
                    continue
                }
                progress(migration)
                do {
                    try db.execute(script: migration.sql)
                } catch {
                    throw MigrationError(description: "migration \(migration.version)_\(migration.name) failed: \(error)")
                }
                try db.query("INSERT INTO public.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                             [.int(Int64(migration.version)), .text(migration.name), .text(migration.checksum)])
                done.append(Applied(version: migration.version, name: migration.name))
            }
            return done
        }
    }
}
