import ArgumentParser
import Foundation
import OmbudText

struct FlagsEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flags-eval",
        abstract: "Measure the flag detector: precision, recall and F1 per flag on a labelled CSV.",
        discussion: """
        The CSV has the header text,human_requested,vulnerability,formal_complaint,legal_threat,source
        with 0/1 labels (RFC 4180 quoting). --source keeps only rows whose source starts with the
        given prefix (e.g. cfpb or ombud). By default the detector is the shipped one (rules OR the
        bundled flag model); --rules-only measures the rules alone, --model another model file.
        """
    )

    @Option(help: "The labelled CSV, e.g. data/flags/flags_labelled.csv.")
    var data: String

    @Option(help: "Only rows whose source starts with this prefix.")
    var source: String?

    @Flag(help: "Print each false positive and false negative.")
    var errors = false

    @Flag(name: .customLong("rules-only"), help: "Measure the phrase rules without the model.")
    var rulesOnly = false

    @Option(help: "A flag model file to use instead of the bundled one.")
    var model: String?

    @Flag(help: "Also time detection over the selected texts (single thread, best of several rounds).")
    var bench = false

    func run() throws {
        let flagModel: FlagModel?
        if rulesOnly {
            flagModel = nil
        } else if let model {
            flagModel = try FlagModel(model: LinearTextClassifier(modelData: Data(contentsOf: URL(fileURLWithPath: model))))
        } else {
            flagModel = try FlagModel.bundled()
        }
        print("detector: " + (flagModel.map { "rules OR model \($0.modelVersion) (thresholds \($0.thresholds.map { String(format: "%.2f", $0) }.joined(separator: ",")))" } ?? "rules only"))
        let rows = try FlagsCSV.parse(String(contentsOfFile: data, encoding: .utf8))
        guard let header = rows.first, header.count >= 6 else { throw ValidationError("empty or malformed CSV") }
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        guard let textCol = column["text"], let sourceCol = column["source"] else { throw ValidationError("missing text/source columns") }
        var counts: [TicketFlag: (tp: Int, fp: Int, fn: Int, pos: Int)] = [:]
        var n = 0
        var texts: [String] = []
        for row in rows.dropFirst() where row.count == header.count {
            if let source, !row[sourceCol].hasPrefix(source) { continue }
            n += 1
            texts.append(row[textCol])
            let detected = FlagDetector.detect(row[textCol], language: nil, model: flagModel)
            for flag in TicketFlag.allCases {
                guard let col = column[flag.rawValue] else { continue }
                let gold = row[col] == "1"
                let hit = detected.first { $0.flag == flag }
                var c = counts[flag] ?? (0, 0, 0, 0)
                if gold { c.pos += 1 }
                switch (gold, hit != nil) {
                case (true, true): c.tp += 1
                case (false, true):
                    c.fp += 1
                    if errors { print("FP \(flag.rawValue) [\(hit!.evidence)] \(row[textCol].prefix(160).replacingOccurrences(of: "\n", with: " "))") }
                case (true, false):
                    c.fn += 1
                    if errors {
                        let p = flagModel.map { String(format: " (model p=%.2f)", $0.probability(of: flag, in: row[textCol])) } ?? ""
                        print("FN \(flag.rawValue)\(p) \(row[textCol].prefix(300).replacingOccurrences(of: "\n", with: " "))")
                    }
                default: break
                }
                counts[flag] = c
            }
        }
        print("rows: \(n)\(source.map { " (source \($0)*)" } ?? "")")
        print("flag               positives  precision  recall     F1     (tp/fp/fn)")
        for flag in TicketFlag.allCases {
            let c = counts[flag] ?? (0, 0, 0, 0)
            let p = c.tp + c.fp == 0 ? 0 : Double(c.tp) / Double(c.tp + c.fp)
            let r = c.tp + c.fn == 0 ? 0 : Double(c.tp) / Double(c.tp + c.fn)
            let f = p + r == 0 ? 0 : 2 * p * r / (p + r)
            print(String(format: "%-18@ %9d  %8.3f  %7.3f  %6.3f    (%d/%d/%d)", flag.rawValue, c.pos, p, r, f, c.tp, c.fp, c.fn))
        }
        if bench && !texts.isEmpty { Self.benchmark(texts, model: flagModel) }
    }

    /// Texts/s of `detect` on one thread; the best of several rounds, as the other benchmarks
    /// report it (on a shared machine the slower rounds measure the neighbours).
    static func benchmark(_ texts: [String], model: FlagModel?) {
        let clock = ContinuousClock()
        var rates: [Double] = []
        var total = Duration.zero
        var sink = 0
        while rates.count < 5 || total < .seconds(2) {
            let d = clock.measure { for t in texts { sink &+= FlagDetector.detect(t, language: nil, model: model).count } }
            total += d
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            rates.append(Double(texts.count) / seconds)
            if rates.count >= 200 { break }
        }
        rates.sort()
        let chars = texts.reduce(0) { $0 + $1.count } / texts.count
        print(String(format: "throughput: best %.0f, median %.0f texts/s (%d texts, mean %d characters, %d rounds; %d flags)",
                     rates.last!, rates[rates.count / 2], texts.count, chars, rates.count, sink))
    }
}

/// Minimal RFC 4180 CSV reader (quoted fields, doubled quotes, newlines inside quotes).
enum FlagsCSV {
    static func parse(_ s: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var it = s.makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? it.next() {
            pending = nil
            if inQuotes {
                if ch == "\"" {
                    if let next = it.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else { field.append(ch) }
            } else {
                switch ch {
                case "\"": inQuotes = true
                case ",": row.append(field); field = ""
                case "\n", "\r\n": row.append(field); field = ""; rows.append(row); row = []
                case "\r": break
                default: field.append(ch)
                }
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
