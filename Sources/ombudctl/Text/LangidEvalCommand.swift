import ArgumentParser
import Foundation
import OmbudText

struct LangidEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langid-eval",
        abstract: "Measure language identification on a Tatoeba-style TSV file (id<TAB>iso639-3<TAB>sentence).",
        discussion: """
        Prints accuracy overall and on texts of at most --short-chars characters, accuracy per
        language, the most frequent confusions and throughput. Labels are ISO 639-3 (eng, fra, …)
        or ISO 639-1; both are compared as ISO 639-1.
        """
    )

    @Option(help: "The TSV file, e.g. shared/data/langid/tatoeba_tatodet/testset.csv.")
    var data: String

    @Option(help: "Length limit (characters) for the short-text figure.")
    var shortChars: Int = 60

    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() throws {
        let content = try String(contentsOfFile: data, encoding: .utf8)
        var rows: [(label: String, text: String)] = []
        for line in content.split(whereSeparator: \.isNewline) {
            let cols = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard cols.count == 3 else { continue }
            rows.append((LanguageCodes.iso6391(String(cols[1])), String(cols[2])))
        }
        guard !rows.isEmpty else { throw ValidationError("no rows in \(data)") }

        let loadStart = Date()
        let identifier = try LanguageIdentifier.shared()
        let loadSeconds = Date().timeIntervalSince(loadStart)

        var correct = 0, shortTotal = 0, shortCorrect = 0
        var perLang: [String: (n: Int, ok: Int)] = [:]
        var confusions: [String: Int] = [:]
        let start = Date()
        var guesses: [String] = []
        guesses.reserveCapacity(rows.count)
        for row in rows { guesses.append(identifier.identify(row.text).language) }
        let seconds = Date().timeIntervalSince(start)
        for (row, guess) in zip(rows, guesses) {
            let ok = guess == row.label
            if ok { correct += 1 } else { confusions["\(row.label)→\(guess)", default: 0] += 1 }
            if row.text.count <= shortChars {
                shortTotal += 1
                if ok { shortCorrect += 1 }
            }
            perLang[row.label, default: (0, 0)].n += 1
            if ok { perLang[row.label, default: (0, 0)].ok += 1 }
        }
        let chars = rows.reduce(0) { $0 + $1.text.count }
        let result = LangidEvalResult(
            rows: rows.count,
            accuracy: Double(correct) / Double(rows.count),
            shortRows: shortTotal,
            shortAccuracy: shortTotal == 0 ? 0 : Double(shortCorrect) / Double(shortTotal),
            perLanguage: perLang.mapValues { Double($0.ok) / Double($0.n) },
            topConfusions: confusions.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(10).map { "\($0.key): \($0.value)" },
            textsPerSecond: Double(rows.count) / max(seconds, 1e-9),
            charsPerSecond: Double(chars) / max(seconds, 1e-9),
            profileLoadSeconds: loadSeconds
        )
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
            return
        }
        print(String(format: "accuracy           %.2f %% (%d/%d)", 100 * result.accuracy, correct, rows.count))
        print(String(format: "accuracy <= %d ch  %.2f %% (%d/%d)", shortChars, 100 * result.shortAccuracy, shortCorrect, shortTotal))
        for (lang, acc) in result.perLanguage.sorted(by: { $0.key < $1.key }) {
            print(String(format: "  %-4@ %.2f %% (n=%d)", lang, 100 * acc, perLang[lang]!.n))
        }
        print("top confusions: " + result.topConfusions.joined(separator: ", "))
        print(String(format: "throughput         %.0f texts/s, %.0f chars/s (one thread; profile load %.2f s)",
                     result.textsPerSecond, result.charsPerSecond, loadSeconds))
    }
}

struct LangidEvalResult: Codable {
    var rows: Int
    var accuracy: Double
    var shortRows: Int
    var shortAccuracy: Double
    var perLanguage: [String: Double]
    var topConfusions: [String]
    var textsPerSecond: Double
    var charsPerSecond: Double
    var profileLoadSeconds: Double
}

/// ISO 639-3 → 639-1 for the labels found in evaluation files.
enum LanguageCodes {
    static func iso6391(_ code: String) -> String {
        let map = ["eng": "en", "fra": "fr", "por": "pt", "spa": "es", "ita": "it", "glg": "gl", "cat": "ca",
                   "jpn": "ja", "cmn": "zh", "kor": "ko", "deu": "de", "swe": "sv", "nob": "nb", "nor": "nb",
                   "dan": "da", "fin": "fi", "nld": "nl", "pol": "pl"]
        return map[code] ?? code
    }
}
