import ArgumentParser
import Foundation
import OmbudCore
import OmbudLedger

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate sample data about the synthetic ledger that `ombudctl seed` creates.",
        subcommands: [SampleTicketsCommand.self])
}

struct SampleTicketsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract: "Write realistic inbound tickets (ombud.ticket.v1, JSON Lines) about the seeded synthetic ledger.",
        discussion: """
            The tickets name real customers, orders, merchants, amounts, dates, carriers and tracking numbers of the \
            ledger that `ombudctl seed --seed S --customers C --as-of D` creates, so the ledger MUST be seeded with the \
            same --seed, --customers and --as-of (and --prefix, when one was given) as this command; otherwise lookups \
            find nothing. Deterministic: the same options always give the same file. All 14 intents of POLICY.md \
            appear (each at least 8 times with the default --count), in English, German and Swedish mostly, with a few \
            Norwegian, Danish, Finnish and Dutch; some carry flags, card numbers or IBANs, attachments or a thread id \
            shared with an earlier ticket. --malformed lines, each with a different problem, are placed among them \
            (intake must park them). received_at falls in the 3 days ending at the end of the --as-of day.

            Example:
              ombudctl seed --seed 1 --customers 2000 --as-of 2026-11-20
              ombudctl sample tickets --seed 1 --customers 2000 --as-of 2026-11-20 --out tickets.jsonl
              ombudctl publish tickets.jsonl
            """)

    @Option(help: "Random seed; must equal the seed the ledger was seeded with.")
    var seed: UInt64 = 1

    @Option(help: "Number of customers; must equal what was seeded.")
    var customers = 2000

    @Option(help: "The ledger's 'today' (YYYY-MM-DD); must equal the seed's --as-of.")
    var asOf = "2026-11-20"

    @Option(help: "Id prefix the ledger was seeded under (default s<seed>-).")
    var prefix: String?

    @Option(help: "Number of well-formed tickets.")
    var count = 240

    @Option(help: "Number of malformed lines placed among them (not counted in --count).")
    var malformed = 8

    @Option(help: "Output file (default: standard output).")
    var out: String?

    func validate() throws {
        guard customers > 0 else { throw ValidationError("--customers must be positive") }
        guard count >= 0, malformed >= 0 else { throw ValidationError("--count and --malformed must not be negative") }
        guard Day(parsing: asOf) != nil else { throw ValidationError("--as-of must be YYYY-MM-DD") }
    }

    func run() throws {
        let day = Day(parsing: asOf)!
        let lines = SampleTickets.generate(seed: seed, customers: customers, asOf: day, count: count, malformed: malformed, prefix: prefix)
        let text = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
        if let out, out != "-" {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            FileHandle.standardError.write(Data("wrote \(lines.count) line(s) to \(out)\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
