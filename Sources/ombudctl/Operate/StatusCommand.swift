import AMQP
import ArgumentParser
import Foundation
import OmbudOperations
import OmbudRuntime
import Postgres

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Queue depths and consumers per stage, parked and retrying messages, cases by status, and each stage's recent throughput; then the last 5 minutes' ticket-to-decision latency (p50, p99) and outcomes.")

    @Option(help: "Broker URL (env OMBUD_AMQP_URL).")
    var amqpURL: String?

    @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Prefix of the topology's names.")
    var prefix: String = "ombud"

    func run() throws {
        let names = TopologyNames(prefix: prefix)
        let topology = Topology.ombud(names: names)
        let database = try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-status")
        defer { database.close() }
        let broker = try AMQPConnection(url: try AMQPURL(amqpURL ?? OmbudEnvironment.amqpURL), options: .init(name: "ombudctl-status"))
        defer { broker.close() }

        // This topology's stages only: tests and benchmarks park under their own prefixes in the same table.
        let stageQueues = topology.stages.map { names.queue(stage: $0.stage) }
        let parkedRows = try ParkedStore(database: database).unreplayedCountByStage(stages: stageQueues)
        var parkedQueueMessages = 0
        print("stage       queued  consumers  parked  done/1m  done/5m")
        for stage in topology.stages.map(\.stage) {
            let queue = names.queue(stage: stage)
            let counts = try? broker.queueCounts(queue)
            parkedQueueMessages += (try? broker.queueCounts(names.parkedQueue(stage: stage)).messageCount).map(Int.init) ?? 0
            let done = try database.query("""
                SELECT count(*) FILTER (WHERE processed_at > now() - interval '1 minute'),
                       count(*) FILTER (WHERE processed_at > now() - interval '5 minutes')
                FROM ombud.stage_receipts WHERE stage = $1 AND processed_at > now() - interval '5 minutes'
                """, [.text(queue)])[0]
            print(pad(stage, 12) + pad(counts.map { "\($0.messageCount)" } ?? "-", 8) + pad(counts.map { "\($0.consumerCount)" } ?? "-", 11)
                  + pad("\(parkedRows[queue] ?? 0)", 8)
                  + pad("\(try done.decode(Int.self, column: 0))", 9) + "\(try done.decode(Int.self, column: 1))")
        }
        let retrying = topology.retry.tiers.compactMap { try? broker.queueCounts(names.retryQueue(tier: $0.name)).messageCount }.reduce(0, +)
        print("retrying: \(retrying) message(s) waiting in the retry tiers")
        print("parked (recorded, not replayed): \(parkedRows.values.reduce(0, +)) — see `ombudctl parked list`")
        if parkedQueueMessages > 0 {
            print("parked queues: \(parkedQueueMessages) message(s) — copies of recorded ones, or parked by the broker itself;"
                  + " `ombudctl parked reconcile` records any without a row and empties the queues")
        }
        let cases = try database.query("SELECT status, count(*) FROM ombud.cases GROUP BY status ORDER BY status")
        print("cases: " + (cases.isEmpty ? "none" : try cases.map { "\(try $0.decode(String.self, column: 0)) \(try $0.decode(Int.self, column: 1))" }.joined(separator: ", ")))
        print(try DecisionStats.load(database: database, seconds: 300).summary)
        print(try StageLatency.load(database: database, seconds: 300).summary)
    }

    private func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: max(width, s.count + 1), withPad: " ", startingAt: 0) }
}
