import ArgumentParser
import Foundation
import OmbudRuntime
import Postgres

struct ReceiptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipts",
        abstract: "Stage receipts: prune the processed ones past their retention.",
        discussion: """
            Every stage writes a receipt per message it finishes, so a redelivered message is answered from it rather \
            than processed twice. Redeliveries come within minutes, so old processed receipts only take space. The workers \
            prune them once an hour (--receipt-retention, default 7d); this runs a pass now. Parked receipts are kept \
            until their message is replayed.
            """,
        subcommands: [Prune.self])

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete processed receipts older than the retention, a block range at a time.")

        @Option(help: "Keep receipts younger than this: 7d, 36h, 90m (at least 1h).")
        var olderThan: String = "7d"
        @Flag(help: "Only count what would be deleted.")
        var dryRun = false
        @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
        var databaseURL: String?

        func validate() throws {
            do {
                guard try ReceiptRetention(parsing: olderThan).seconds != nil else {
                    throw ValidationError("--older-than needs a duration such as 7d; 'off' prunes nothing")
                }
            } catch let error as ReceiptRetentionError {
                throw ValidationError("--older-than: \(error)")
            }
        }

        func run() throws {
            let retention = try ReceiptRetention(parsing: olderThan)
            guard let cutoff = retention.cutoff(now: Date()) else { return }
            let database = try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-receipts")
            defer { database.close() }
            let pruner = ReceiptPruner(database: database)
            let when = cutoff.formatted(.iso8601)
            if dryRun {
                print("\(try pruner.count(olderThan: cutoff)) processed receipt(s) older than \(retention) (before \(when)) would be deleted")
                return
            }
            var lastReport = Date.distantPast
            let pass = try pruner.prune(olderThan: cutoff, progress: { done, total, deleted in
                guard Date().timeIntervalSince(lastReport) >= 1 || done == total else { return }
                lastReport = Date()
                FileHandle.standardError.write(Data("  \(done)/\(total) blocks, \(deleted) deleted\n".utf8))
            })
            guard let pass else {
                throw ValidationError("another process is pruning receipts right now (a worker's hourly pass); try again in a minute")
            }
            print("deleted \(pass.deleted) processed receipt(s) older than \(retention) (before \(when)) in \(pass.blocks) block(s)")
        }
    }
}
