import ArgumentParser
import Foundation
import OmbudRuntime
import Postgres

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations (migrations/NNNN_name.sql) in one transaction; re-running is a no-op.")

    @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "The migrations folder (env OMBUD_MIGRATIONS_DIR; default: the nearest migrations/ folder).")
    var migrationsDir: String?

    @Flag(help: "Only list the migrations and whether each is applied.")
    var status = false

    func run() throws {
        let directory = try Migrator.locateDirectory(explicit: migrationsDir)
        let migrator = try Migrator.load(directory: directory)
        let database = try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-migrate")
        defer { database.close() }
        if status {
            let applied = (try? database.query("SELECT version FROM public.schema_migrations").map { try $0.decode(Int.self, column: 0) }) ?? []
            for migration in migrator.migrations {
                print(String(format: "%04d %@ %@", migration.version, migration.name, applied.contains(migration.version) ? "applied" : "pending"))
            }
            return
        }
        let done = try migrator.migrate(database) { migration in
            FileHandle.standardError.write(Data("applying \(String(format: "%04d", migration.version))_\(migration.name)\n".utf8))
        }
        print(done.isEmpty ? "database is up to date (\(migrator.migrations.count) migrations)"
                           : "applied \(done.count) migration(s); \(migrator.migrations.count) in all")
    }
}
