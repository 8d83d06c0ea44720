import ArgumentParser
import Foundation
import OmbudCore
import OmbudLedger
import OmbudRuntime
import Postgres

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill the ledger with a realistic synthetic data set (customers, orders, plans, shipments, returns, refunds, fees, payments).",
        discussion: """
            Deterministic: the same --seed, --customers and --as-of give the same rows. Every id starts with the run's \
            prefix (s<seed>- unless --prefix), so runs with different seeds sit side by side. Re-running a prefix that is \
            already seeded is a no-op (it prints the recorded checksum); --replace deletes that prefix's rows and seeds \
            again. The run is one transaction: all or nothing.
            """)

    @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Number of customers.")
    var customers = 5000

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "The ledger's 'today' (YYYY-MM-DD; default: today in UTC). Orders fall in the months before it.")
    var asOf: String?

    @Option(help: "Id prefix (default s<seed>-).")
    var prefix: String?

    @Option(help: "Customers per round of INSERTs.")
    var chunk = 1000

    @ArgumentParser.Flag(help: "Delete an existing run with the same prefix and seed again.")
    var replace = false

    @ArgumentParser.Flag(help: "Only delete the prefix's rows (and its run record), seed nothing.")
    var delete = false

    func validate() throws {
        guard customers >= 0 else { throw ValidationError("--customers must not be negative") }
        guard chunk > 0 else { throw ValidationError("--chunk must be positive") }
        if let asOf, Day(parsing: asOf) == nil { throw ValidationError("--as-of must be YYYY-MM-DD") }
    }

    func run() throws {
        let day = asOf.flatMap(Day.init(parsing:)) ?? Day(Timestamp(Date()))
        let seeder = LedgerSeeder(seed: seed, customers: customers, asOf: day, prefix: prefix)
        let database = try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-seed")
        defer { database.close() }
        if delete {
            let prefix = seeder.prefix
            try database.transaction { try LedgerSeeder.delete(prefix: prefix, database: $0) }
            print("deleted the rows under prefix \(prefix)")
            return
        }
        let started = Date()
        let report = try seeder.run(database: database, chunk: chunk, replace: replace) { done in
            let seconds = Date().timeIntervalSince(started)
            FileHandle.standardError.write(Data(String(format: "seeded %d/%d customers (%.1f s)\n", done, customers, seconds).utf8))
        }
        let seconds = Date().timeIntervalSince(started)
        if report.inserted {
            print(String(format: "seeded %d customers, %d rows under prefix %@ as of %@ in %.2f s (%.0f customers/s); checksum %@",
                         report.customers, report.rows, report.prefix, day.description, seconds,
                         seconds > 0 ? Double(report.customers) / seconds : 0, report.checksum))
        } else {
            print("prefix \(report.prefix) is already seeded (\(report.customers) customers, checksum \(report.checksum)); nothing done (--replace to seed again)")
        }
    }
}
