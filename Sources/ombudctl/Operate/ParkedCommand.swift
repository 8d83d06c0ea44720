import AMQP
import ArgumentParser
import Foundation
import OmbudRuntime
import Postgres

struct ParkedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parked",
        abstract: "List parked messages with their reasons, and replay them once the cause is fixed.",
        subcommands: [List.self, Replay.self, Reconcile.self])

    struct Connection: ParsableArguments {
        @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
        var databaseURL: String?
        @Option(help: "Broker URL (env OMBUD_AMQP_URL).")
        var amqpURL: String?
        @Option(help: "Prefix of the topology's names.")
        var prefix: String = "ombud"

        var names: TopologyNames { TopologyNames(prefix: prefix) }
        func openDatabase() throws -> PostgresConnection {
            try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-parked")
        }
        func brokerURL() throws -> AMQPURL { try AMQPURL(amqpURL ?? OmbudEnvironment.amqpURL) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List parked messages, newest first, and the parked queues' depths.")

        @Option(help: "Only this stage (e.g. intake).")
        var stage: String?
        @Flag(help: "Include messages already replayed.")
        var all = false
        @Option(help: "At most this many rows.")
        var limit = 50
        @OptionGroup var connection: Connection

        func run() throws {
            let names = connection.names
            let database = try connection.openDatabase()
            defer { database.close() }
            let rows = try ParkedStore(database: database).list(stage: stage.map(names.queue(stage:)), includeReplayed: all, limit: limit)
            if rows.isEmpty { print("no parked messages" + (stage.map { " for \($0)" } ?? "")) }
            for row in rows {
                let when = row.parkedAt.formatted(.iso8601)
                let replayed = row.replayedAt.map { " (replayed \($0.formatted(.iso8601)))" } ?? ""
                print("#\(row.id)  \(row.stage)  \(row.messageId)  \(row.failure)  attempts \(row.attempts)  \(when)\(replayed)")
                print("      reason: \(row.reason)")
                if let caseId = row.caseId { print("      case: \(caseId.uuidString.lowercased())") }
            }
            // Messages the broker parked itself (delivery limit) are only in the queues.
            if let url = try? connection.brokerURL(),
               let broker = try? AMQPConnection(url: url, options: .init(name: "ombudctl-parked")) {
                defer { broker.close() }
                let stages = stage.map { [$0] } ?? Topology.ombud(names: names).stages.map(\.stage)
                for stage in stages {
                    if let counts = try? broker.queueCounts(names.parkedQueue(stage: stage)) {
                        print("queue \(names.parkedQueue(stage: stage)): \(counts.messageCount) message(s)")
                    }
                }
            }
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send parked messages of a stage back to its queue, retry counter reset.",
            discussion: "Replays every parked message of the stage that was not replayed yet, or only the --id ones. Nothing changes unless the broker confirms every publish.")

        @Option(help: "The stage whose parked messages to replay (e.g. intake).")
        var stage: String
        @Option(name: .customLong("id"), help: "Only these parked message ids (repeatable).")
        var ids: [Int64] = []
        @OptionGroup var connection: Connection

        func run() throws {
            let names = connection.names
            let database = try connection.openDatabase()
            defer { database.close() }
            let url = try connection.brokerURL()
            let publisher = try AMQPPublisher(url: url, options: .init(name: "ombudctl-parked-replay"))
            defer { publisher.close() }
            let rows = try ParkedReplay.replay(stageQueue: names.queue(stage: stage), ids: ids.isEmpty ? nil : ids,
                                               database: database, publisher: publisher)
            print("replayed \(rows.count) message(s) to \(names.queue(stage: stage))")
        }
    }

    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Empty the parked queues into the parked table: record what has no row, drop the copies that do.",
            discussion: """
                Every message the fleet parks is recorded in the database and a copy goes to the stage's parked queue, \
                so the queues only grow. A message the broker dead-lettered on its own (the delivery limit, while the \
                database was unreachable) is only in the queue. This records those (listable and replayable like any \
                other), acknowledges the copies of recorded ones, and leaves the queues empty. Safe to run at any time, \
                and again.
                """)

        @Option(help: "Only this stage (e.g. intake).")
        var stage: String?
        @OptionGroup var connection: Connection

        func run() throws {
            let names = connection.names
            let database = try connection.openDatabase()
            defer { database.close() }
            let url = try connection.brokerURL()
            let stages = stage.map { [$0] } ?? Topology.ombud(names: names).stages.map(\.stage)
            for stage in stages {
                let outcome = try ParkedReconcile.drain(stageQueue: names.queue(stage: stage), parkedQueue: names.parkedQueue(stage: stage),
                                                        url: url, database: database)
                print("\(names.parkedQueue(stage: stage)): \(outcome.recordedNow) recorded now, "
                      + "\(outcome.alreadyRecorded) already recorded; queue empty")
            }
        }
    }
}
