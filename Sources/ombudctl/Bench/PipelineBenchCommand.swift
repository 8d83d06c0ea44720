import AMQP
import ArgumentParser
import Foundation
import Logging
import OmbudCore
import OmbudLedger
import OmbudOperations
import OmbudRuntime
import Postgres

/// `ombudctl bench pipeline`: the whole fleet, end to end, against the raw broker ceiling measured in the same run.
struct PipelineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Run the five stage processes on sample tickets and measure tickets/s and ticket-to-decision latency against the raw five-hop broker ceiling.",
        discussion: """
            Seeds a synthetic ledger of the run's own (seed 1, --customers, as of 2026-11-20), generates sample tickets \
            about it (as ombudctl sample tickets does, with ids unique to the run), starts ombud-intake … ombud-escalate \
            from the directory of this ombudctl (build them: swift build -c release) on a fresh topology prefix, warms \
            them up, then:
              1. publishes the tickets as fast as the broker confirms them (or at --rate tickets/s) and measures
                 tickets/s (first publish to last decision) and the latency from publish to the decision row;
              2. publishes --paced-tickets more at half the rate measured in 1 and reports their latency;
              3. measures the raw broker ceiling: five hops of publish-with-confirms/consume/ack, no database
                 (as in `ombudctl bench relay`), and prints the ratio.
            It also prints run 1's CPU per ticket by process — each stage, PostgreSQL, RabbitMQ — from /proc.
            The database and broker are OMBUD_DATABASE_URL / OMBUD_AMQP_URL (migrated: ombudctl migrate).

            Example:
              swift build -c release && .build/release/ombudctl bench pipeline --tickets 20000
            """)

    @Option(help: "Tickets to publish in the full-speed run.")
    var tickets = 20_000

    @Option(help: "Publish at this many tickets/s instead of as fast as possible.")
    var rate: Double?

    @Option(help: "Tickets for the second run at half the measured rate (0 skips it).")
    var pacedTickets = 5_000

    @Option(help: "Customers in the run's synthetic ledger.")
    var customers = 2000

    @Option(help: "Lanes per stage: one number, or stage=n pairs, e.g. classify=2,resolve=2 (others 1).")
    var lanes = "1"

    @Option(help: "Messages per batch transaction in every stage.")
    var batch = 64

    @Option(help: "Seconds to wait for the last decision.")
    var timeout: Double = 300

    @ArgumentParser.Flag(help: "Skip the raw broker ceiling.")
    var noCeiling = false

    @Option(help: "Broker URL (env OMBUD_AMQP_URL).")
    var amqpURL: String?

    @Option(help: "PostgreSQL connection string (env OMBUD_DATABASE_URL).")
    var databaseURL: String?

    func run() throws {
        LogFormat.text.bootstrap(level: .error)
        let urlText = amqpURL ?? OmbudEnvironment.amqpURL
        let url = try AMQPURL(urlText)
        let dbURL = databaseURL ?? OmbudEnvironment.databaseURL
        let database = try PostgresConnection(dbURL, applicationName: "ombudctl-bench-pipeline")
        defer { database.close() }
        guard try database.query("SELECT to_regclass('ombud.decisions')")[0].decode(String?.self, column: 0) != nil else {
            throw ValidationError("the database is not migrated: run ombudctl migrate first")
        }
        let stageLanes = try parseLanes()
        guard let executables = FleetProcesses.locateExecutables(near: URL(fileURLWithPath: CommandLine.arguments[0])
            .resolvingSymlinksInPath()) else {
            throw ValidationError("ombud-intake … ombud-escalate are not next to this ombudctl: build them (swift build -c release)")
        }

        // A ledger of the run's own: the actions of earlier runs (frozen accounts, refunds, pauses) must not change
        // what this run decides.
        let run = "bench-" + UUID().uuidString.prefix(8).lowercased()
        let asOf = Day(parsing: "2026-11-20")!
        let ledgerPrefix = run + "-"
        let started = Date()
        let seeded = try LedgerSeeder(seed: 1, customers: customers, asOf: asOf, prefix: ledgerPrefix).run(database: database)
        log(String(format: "seeded a ledger of %d customers under %@ in %.1f s", seeded.customers, ledgerPrefix,
                   Date().timeIntervalSince(started)))
        let names = TopologyNames(prefix: run)
        let topology = Topology.ombud(names: names)
        let admin = try AMQPConnection(url: url, options: .init(name: "\(run)-admin"))
        defer {
            // A fresh connection: the admin one sat idle through the run and may have missed its heartbeats.
            if let cleanup = try? AMQPConnection(url: url, options: .init(name: "\(run)-cleanup")) {
                do { try topology.delete(on: cleanup) } catch { log("could not delete the run's queues (\(run).*): \(error)") }
                cleanup.close()
            }
            admin.close()
        }
        try topology.declare(on: admin)

        let warmup = 500
        let total = warmup + tickets + pacedTickets
        log("generating \(total) sample tickets")
        let lines = try SampleTickets.generate(seed: 1, customers: customers, asOf: asOf, count: total, malformed: 0,
                                               prefix: ledgerPrefix)
            .map { try Self.namespaced($0, run: run) }

        let fleet = FleetProcesses(.init(executables: executables, amqpURL: urlText, databaseURL: dbURL, prefix: run,
                                         lanes: stageLanes, batch: batch,
                                         logDirectory: FileManager.default.temporaryDirectory))
        defer { fleet.stop(timeout: 20) }
        try fleet.startAll()
        try waitForConsumers(admin: admin, names: names)

        let publisher = try AMQPPublisher(url: url, options: .init(name: "\(run)-producer"))
        defer { publisher.close() }
        let bench = Measurement(database: database, publisher: publisher, names: names, timeout: timeout)

        log("warming up with \(warmup) tickets")
        _ = try bench.measure(Array(lines[0..<warmup]), rate: nil)

        log("run 1: \(tickets) tickets " + (rate.map { "at \(Int($0))/s" } ?? "as fast as possible"))
        let cpuBefore = CPUAccount.sample(fleet)
        let full = try bench.measure(Array(lines[warmup..<(warmup + tickets)]), rate: rate)
        let cpu = CPUAccount.sample(fleet).perTicket(since: cpuBefore, tickets: full.count)
        var paced: Measurement.Result?
        if pacedTickets > 0 {
            let halfRate = full.ticketsPerSecond / 2
            log(String(format: "run 2: %d tickets at half that rate (%.0f/s)", pacedTickets, halfRate))
            paced = try bench.measure(Array(lines[(warmup + tickets)...]), rate: halfRate)
        }
        let outcomes = try bench.outcomes(Array(lines[warmup...]))
        fleet.stop(timeout: 20)

        var ceiling: Double?
        if !noCeiling {
            log("raw broker ceiling: 5 hops, batch 256, \(tickets) messages")
            ceiling = try RelayBench(url: url, databaseURL: dbURL, bodySize: 1024, lanes: 1).raw(batch: 256, count: tickets)
        }

        print("")
        print("pipeline benchmark: 5 stage processes, lanes \(PipelineStage.allCases.map { "\($0.rawValue)=\(stageLanes[$0] ?? 1)" }.joined(separator: ",")), batch \(batch), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(String(format: "run 1 (%@): %d tickets, %.0f tickets/s; ticket-to-decision p50 %.0f ms, p99 %.0f ms",
                     rate.map { String(format: "rate %.0f/s", $0) } ?? "full speed", full.count, full.ticketsPerSecond,
                     full.p50 * 1000, full.p99 * 1000))
        if let paced {
            print(String(format: "run 2 (half rate, %.0f/s offered): %d tickets, %.0f tickets/s; p50 %.0f ms, p99 %.0f ms",
                         full.ticketsPerSecond / 2, paced.count, paced.ticketsPerSecond, paced.p50 * 1000, paced.p99 * 1000))
        }
        print("outcomes: " + outcomes)
        if let cpu { print(cpu) }
        if let ceiling {
            print(String(format: "raw broker ceiling (5 hops, batch 256): %.0f msg/s", ceiling))
            print(String(format: "ratio pipeline/ceiling: %.2f (target ≥ 0.25); target tickets/s ≥ 1500", full.ticketsPerSecond / ceiling))
        }
    }

    func parseLanes() throws -> [PipelineStage: Int] {
        if let all = Int(lanes), all >= 1 {
            return Dictionary(uniqueKeysWithValues: PipelineStage.allCases.map { ($0, all) })
        }
        var result: [PipelineStage: Int] = [:]
        for pair in lanes.split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let stage = PipelineStage(rawValue: String(parts[0])), let n = Int(parts[1]), n >= 1 else {
                throw ValidationError("--lanes takes a number or stage=n pairs (stages: intake, classify, lookup, resolve, escalate)")
            }
            result[stage] = n
        }
        return result
    }

    /// A sample ticket with the run's own external and thread ids (so it never dedupes against another run's), read
    /// once here so that publishing does nothing but publish.
    static func namespaced(_ line: String, run: String) throws -> BenchTicket {
        guard var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw BenchError("a sample ticket is not a JSON object: \(line.prefix(80))")
        }
        let channel = object["channel"] as? String ?? "chat"
        let externalId = "\(run)-\(object["external_id"] as? String ?? "")"
        object["external_id"] = externalId
        if let thread = object["thread_id"] as? String { object["thread_id"] = "\(run)-\(thread)" }
        return BenchTicket(
            body: Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])), channel: channel,
            messageId: "ticket:\(channel):\(externalId)",
            ticketId: MessageIds.canonical(MessageIds.ticket(channel: channel, externalId: externalId)))
    }

    func waitForConsumers(admin: AMQPConnection, names: TopologyNames) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let ready = try PipelineStage.allCases.allSatisfy { try admin.queueCounts(names.queue(stage: $0.rawValue)).consumerCount > 0 }
            if ready { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw BenchError("the stage processes did not start consuming within 60 s (see their logs in \(FileManager.default.temporaryDirectory.path))")
    }

    func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

/// One ticket as the benchmark publishes it.
struct BenchTicket {
    var body: [UInt8]
    var channel: String
    var messageId: String
    var ticketId: String
}

/// Publishes tickets (paced or not) and waits for every decision; latency is publish → `decisions.decided_at`.
/// CPU seconds of the stage processes, PostgreSQL, RabbitMQ and this benchmark (Linux `/proc`), so that run 1 can be
/// accounted per ticket: where the two cores went.
struct CPUAccount {
    var seconds: [(name: String, seconds: Double)]

    static func sample(_ fleet: FleetProcesses) -> CPUAccount {
        var seconds = PipelineStage.allCases.map { stage in
            (stage.rawValue, fleet.pid(stage).flatMap(ProcessCPU.seconds(pid:)) ?? 0)
        }
        seconds.append(("PostgreSQL", ProcessCPU.seconds(command: "postgres")))
        seconds.append(("RabbitMQ", ProcessCPU.seconds(command: "beam.smp")))
        seconds.append(("this benchmark", ProcessCPU.seconds(pid: getpid()) ?? 0))
        return CPUAccount(seconds: seconds)
    }

    /// "CPU per ticket in run 1: intake 0.45 ms, …; total 4.2 ms", or nil where `/proc` could not be read.
    func perTicket(since before: CPUAccount, tickets: Int) -> String? {
        guard tickets > 0, seconds.contains(where: { $0.seconds > 0 }) else { return nil }
        let parts = zip(seconds, before.seconds).map { ($0.name, ($0.seconds - $1.seconds) * 1000 / Double(tickets)) }
        let total = parts.map(\.1).reduce(0, +)
        return "CPU per ticket in run 1: " + parts.map { String(format: "%@ %.2f ms", $0.0, $0.1) }.joined(separator: ", ")
            + String(format: "; total %.2f ms (%.0f tickets/s would fill %d cores)", total, 1000 * Double(ProcessInfo.processInfo.activeProcessorCount) / total,
                     ProcessInfo.processInfo.activeProcessorCount)
    }
}

struct Measurement {
    struct Result {
        var count: Int
        var ticketsPerSecond: Double
        var p50: Double
        var p99: Double
    }

    let database: PostgresConnection
    let publisher: AMQPPublisher
    let names: TopologyNames
    let timeout: Double

    func measure(_ tickets: [BenchTicket], rate: Double?) throws -> Result {
        let resolveQueue = names.queue(stage: PipelineStage.resolve.rawValue)
        let receiptsBefore = try database.query("SELECT count(*) FROM ombud.stage_receipts WHERE stage = $1",
                                                [.text(resolveQueue)])[0].decode(Int.self, column: 0)
        var ids: [String] = []
        var published: [String: Double] = [:]
        let start = Date()
        for (n, ticket) in tickets.enumerated() {
            if let rate {
                let due = start.addingTimeInterval(Double(n) / rate)
                let wait = due.timeIntervalSinceNow
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            }
            var properties = AMQPProperties()
            properties.contentType = MessageProperties.contentType
            properties.persistent = true
            properties.messageId = ticket.messageId
            try publisher.publish(exchange: names.tickets, routingKey: "ticket.\(ticket.channel)", body: ticket.body,
                                  properties: properties)
            published[ticket.ticketId] = Date().timeIntervalSince1970
            ids.append(ticket.ticketId)
            // Paced: confirm each second's worth; full speed: every 500.
            if n % max(1, rate.map { Int($0) } ?? 500) == 0 { try publisher.waitForConfirms(timeout: 30) }
        }
        try publisher.waitForConfirms(timeout: 30)
        let firstPublish = published.values.min() ?? start.timeIntervalSince1970
        let idArray = PostgresValue.textArray(ids)
        let deadline = Date().addingTimeInterval(timeout)
        var decided = 0
        // Polled cheaply (the resolve stage's receipts under this run's prefix, an index range) so that watching does
        // not load the database being measured; checked exactly against the decisions at the end. Throughput and latency
        // come from the decisions' own timestamps, so the polling interval does not affect them.
        while Date() < deadline {
            let receipts = try database.query("SELECT count(*) FROM ombud.stage_receipts WHERE stage = $1",
                                              [.text(resolveQueue)])[0].decode(Int.self, column: 0)
            if receipts - receiptsBefore >= ids.count {
                decided = try database.query("SELECT count(*) FROM ombud.decisions WHERE ticket_id = ANY($1::uuid[])", [idArray])[0]
                    .decode(Int.self, column: 0)
            }
            if decided == ids.count { break }
            try publisher.serviceHeartbeat()   // idle for minutes while the fleet works: keep the connection alive
            Thread.sleep(forTimeInterval: 0.5)
        }
        guard decided == ids.count else {
            throw BenchError("only \(decided) of \(ids.count) tickets were decided within \(Int(timeout)) s (ombudctl status, parked list)")
        }
        let rows = try database.query("""
            SELECT ticket_id::text, extract(epoch FROM decided_at)::float8 FROM ombud.decisions WHERE ticket_id = ANY($1::uuid[])
            """, [idArray])
        var latencies: [Double] = []
        var last = firstPublish
        for row in rows {
            let decidedAt = try row.decode(Double.self, column: 1)
            last = max(last, decidedAt)
            latencies.append(decidedAt - published[try row.decode(String.self, column: 0)]!)
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Result(count: ids.count, ticketsPerSecond: Double(ids.count) / max(0.001, last - firstPublish),
                      p50: percentile(0.5), p99: percentile(0.99))
    }

    /// The mix of outcomes over the tickets: auto_resolved / needs_info / escalated by team.
    func outcomes(_ tickets: [BenchTicket]) throws -> String {
        let ids = tickets.map(\.ticketId)
        let rows = try database.query("""
            SELECT outcome || coalesce(' ' || team, ''), count(*) FROM ombud.decisions WHERE ticket_id = ANY($1::uuid[])
            GROUP BY 1 ORDER BY 2 DESC
            """, [.textArray(ids)])
        let total = max(1, try rows.reduce(0) { $0 + (try $1.decode(Int.self, column: 1)) })
        return try rows.map {
            String(format: "%@ %.0f%%", try $0.decode(String.self, column: 0), 100 * Double(try $0.decode(Int.self, column: 1)) / Double(total))
        }.joined(separator: ", ")
    }
}

