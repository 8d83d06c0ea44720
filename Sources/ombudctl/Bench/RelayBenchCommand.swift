import AMQP
import ArgumentParser
import Foundation
import Logging
import OmbudRuntime
import Postgres

/// `ombudctl bench relay`: five hops through the broker, raw and through the runtime, in one run.
struct RelayBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Measure five hops of publish-with-confirms / consume / ack: the raw broker ceiling against the runtime with Postgres receipts.",
        discussion: """
            (a) raw: five quorum queues; a producer and four relays publish with confirms, consume and ack in batches;
                a sink consumes the fifth queue. No database.
            (b) runtime: the same five hops through five pass-through stages (lanes, one transaction per batch,
                receipts, confirms, multiple acks); done when the fifth stage has a receipt for every message.
            Persistent messages, quorum queues, 1 KiB bodies. Messages/s is end to end: first publish to last arrival.
            Both run in this one process against the broker and database in OMBUD_AMQP_URL / OMBUD_DATABASE_URL,
            each under a fresh topology prefix that is deleted afterwards.
            """)

    @Option(help: "Messages per measurement.")
    var messages = 20_000

    @Option(help: "Messages for runtime batch size 1 (one commit per message per stage is slow).")
    var messagesAtBatchOne = 2_000

    @Option(help: "Batch sizes, comma-separated.")
    var batches = "1,16,64,256"

    @Option(help: "Body size in bytes.")
    var bodySize = 1024

    @Option(help: "Lanes per stage for the runtime (and relay threads per hop for the raw run).")
    var lanes = 1

    @Option(help: "Broker URL (env OMBUD_AMQP_URL).")
    var amqpURL: String?

    @Option(help: "PostgreSQL connection string (env OMBUD_DATABASE_URL).")
    var databaseURL: String?

    func run() throws {
        let sizes = batches.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 && $0 <= 2048 }) else {
            throw ValidationError("--batches takes sizes in 1...2048, e.g. 1,16,64,256")
        }
        LogFormat.text.bootstrap(level: .error)
        let url = try AMQPURL(amqpURL ?? OmbudEnvironment.amqpURL)
        let dbURL = databaseURL ?? OmbudEnvironment.databaseURL
        let setup = try PostgresConnection(dbURL, applicationName: "ombudctl-bench")
        try PassThroughStage.prepare(setup)
        let bench = RelayBench(url: url, databaseURL: dbURL, bodySize: bodySize, lanes: lanes)

        print("relay benchmark: 5 hops, quorum queues, persistent, \(bodySize)-byte bodies, \(lanes) lane(s) per stage")
        print("broker \(url.redacted); \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("")
        print(pad("batch", 7) + pad("raw msg/s", 12) + pad("runtime msg/s", 15) + pad("runtime/raw", 13) + "messages (raw / runtime)")
        var raw: [Int: Double] = [:]
        var runtime: [Int: Double] = [:]
        for size in sizes {
            let rawRate = try bench.raw(batch: size, count: messages)
            raw[size] = rawRate
            let count = size == 1 ? min(messages, messagesAtBatchOne) : messages
            let runtimeRate = try bench.runtime(batch: size, count: count, database: setup)
            runtime[size] = runtimeRate
            print(pad("\(size)", 7) + pad(format(rawRate), 12) + pad(format(runtimeRate), 15)
                  + pad(String(format: "%.0f %%", 100 * runtimeRate / rawRate), 13) + "\(messages) / \(count)")
        }
        let ceiling = raw.values.max() ?? 0
        let (bestBatch, bestRuntime) = runtime.max { $0.value < $1.value }!
        print("")
        print("raw ceiling (best batch): \(format(ceiling)) msg/s")
        print("runtime best: \(format(bestRuntime)) msg/s at batch \(bestBatch)")
        print(String(format: "ratio runtime/raw ceiling: %.2f (target ≥ 0.50)", bestRuntime / ceiling))
        setup.close()
    }

    private func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: max(width, s.count + 1), withPad: " ", startingAt: 0) }
    private func format(_ rate: Double) -> String { String(format: "%.0f", rate) }
}
