import ArgumentParser
import Foundation
import OmbudText

struct LangidProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "langid-profile",
        abstract: "Build a langdetect-format n-gram profile from a Tatoeba-style TSV of sentences.",
        discussion: """
        Used to make Resources/langdetect/gl.json from shared/data/langid/tatoeba_tatodet/glg_1000.csv,
        leaving out every sentence (by id and by text) that is also in the test set:
          ombudctl text langid-profile --data glg_1000.csv --exclude testset.csv --name gl > gl.json
        """
    )

    @Option(help: "TSV file id<TAB>lang<TAB>sentence.")
    var data: String

    @Option(help: "TSV file whose ids and sentences must not be used (the test set).")
    var exclude: String?

    @Option(help: "The profile's language name.")
    var name: String

    func run() throws {
        var excludedIDs = Set<Substring>()
        var excludedTexts = Set<Substring>()
        if let exclude {
            for line in try String(contentsOfFile: exclude, encoding: .utf8).split(whereSeparator: \.isNewline) {
                let cols = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                guard cols.count == 3 else { continue }
                excludedIDs.insert(cols[0])
                excludedTexts.insert(cols[2])
            }
        }
        var builder = LanguageProfileBuilder()
        var used = 0
        for line in try String(contentsOfFile: data, encoding: .utf8).split(whereSeparator: \.isNewline) {
            let cols = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard cols.count == 3, !excludedIDs.contains(cols[0]), !excludedTexts.contains(cols[2]) else { continue }
            builder.add(String(cols[2]))
            used += 1
        }
        FileHandle.standardError.write(Data("\(used) sentences\n".utf8))
        print(builder.json(name: name), terminator: "")
    }
}
