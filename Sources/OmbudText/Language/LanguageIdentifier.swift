import Foundation

/// The result of language identification.
public struct LanguageGuess: Sendable, Codable, Equatable {
    /// ISO 639-1 code ("en", "de", "sv", "nb", "zh", …), or "und" when undetermined.
    public var language: String
    /// Posterior-like probability of `language` among the candidates, 0…1.
    public var confidence: Double
    /// The next best candidates, best first (at most 3).
    public var alternatives: [Alternative]

    public struct Alternative: Sendable, Codable, Equatable {
        public var language: String
        public var confidence: Double
        public init(language: String, confidence: Double) {
            self.language = language
            self.confidence = confidence
        }
    }

    public init(language: String, confidence: Double, alternatives: [Alternative] = []) {
        self.language = language
        self.confidence = confidence
        self.alternatives = alternatives
    }

    public static let undetermined = LanguageGuess(language: "und", confidence: 0)
}

public enum LanguageIdentifierError: Error, CustomStringConvertible {
    case resourceMissing
    case noProfiles(URL)

    public var description: String {
        switch self {
        case .resourceMissing: return "langdetect profiles are missing from the OmbudText bundle"
        case .noProfiles(let url): return "no language profiles (*.json) in \(url.path)"
        }
    }
}

/// Deterministic naive-Bayes language identification over character 1–3-grams
/// (the langdetect profiles), with script detection, priors for the lender's
/// markets and common-word evidence so that short texts work.
///
/// Immutable after loading; share one instance (`LanguageIdentifier.shared()`).
public final class LanguageIdentifier: Sendable {
    /// Languages the lender operates in; they get a prior boost because tickets
    /// come overwhelmingly from these markets.
    public static let marketLanguages: Set<String> = ["en", "de", "sv", "nb", "da", "fi", "nl", "fr", "es", "it", "pl"]

    /// All languages this instance can return (ISO 639-1), sorted.
    public let languages: [String]

    private let table: [UInt64: Int32]   // n-gram key → start index into entries
    private let entryLang: [UInt8]
    private let entryGain: [Float]       // log((p + floor) / floor), per language present
    private let entryEnd: [Int32]        // end index for the n-gram at the same position in `starts`
    private let script: [LangScript]     // per language index
    private let prior: [Double]          // log prior per language index
    private let wordEvidence: [String: [(Int, Double)]]

    private static let cache = ProfileCache()
    static let smallProfileDamping = 0.97  // tuned on the Tatoeba training files, never on the test set

    /// The identifier over the profiles bundled with OmbudText, loaded once per process.
    public static func shared() throws -> LanguageIdentifier {
        try cache.get {
            guard let url = try? BundledResource.url("langdetect", extension: nil) else {
                throw LanguageIdentifierError.resourceMissing
            }
            return try LanguageIdentifier(profilesDirectory: url)
        }
    }

    /// Loads every `*.json` langdetect profile (`{"freq": {...}, "n_words": [..], "name": ".."}`) in a directory.
    public init(profilesDirectory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(at: profilesDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else { throw LanguageIdentifierError.noProfiles(profilesDirectory) }

        struct Profile: Decodable {
            var freq: [String: Int]
            var n_words: [Int]
            var name: String
        }
        // Floor probability for an n-gram a language has never seen; langdetect's alpha/BASE_FREQ.
        let floor = 5e-5
        var names: [String] = []
        var perGram: [UInt64: [(UInt8, Float)]] = [:]
        for (index, file) in files.enumerated() {
            let profile = try JSONDecoder().decode(Profile.self, from: Data(contentsOf: file))
            names.append(Self.isoCode(forProfile: profile.name))
            for (gram, count) in profile.freq {
                let scalars = Array(gram.unicodeScalars)
                guard (1...3).contains(scalars.count) else { continue }
                let total = profile.n_words[scalars.count - 1]
                guard total > 0 else { continue }
                let p = Double(count) / Double(total)
                // Small profiles (built from a few thousand sentences, e.g. gl) see few
                // n-grams with inflated relative frequencies; damp them so they do not win by default.
                let damp = profile.n_words[0] < 1_000_000 ? Self.smallProfileDamping : 1.0
                let gain = Float(damp * log((p + floor) / floor))
                perGram[Self.key(scalars.map { Self.normalize($0) }), default: []].append((UInt8(index), gain))
            }
        }
        var table: [UInt64: Int32] = [:]
        table.reserveCapacity(perGram.count)
        var langs: [UInt8] = []
        var gains: [Float] = []
        var ends: [Int32] = []
        for key in perGram.keys.sorted() {
            // Several raw grams can normalise to one key; keep the larger gain per language.
            var best: [UInt8: Float] = [:]
            for (l, g) in perGram[key]! { best[l] = max(best[l] ?? 0, g) }
            table[key] = Int32(ends.count)
            for l in best.keys.sorted() {
                langs.append(l)
                gains.append(best[l]!)
            }
            ends.append(Int32(langs.count))
        }
        self.table = table
        self.entryLang = langs
        self.entryGain = gains
        self.entryEnd = ends
        self.languages = Array(Set(names)).sorted()
        self.script = names.map { LangScript.of(language: $0) }
        self.prior = names.map { Self.marketLanguages.contains($0) ? log(3.0) : 0 }
        var evidence: [String: [(Int, Double)]] = [:]
        for (i, name) in names.enumerated() {
            for word in CommonWords.lists[name] ?? [] { evidence[word, default: []].append((i, 0)) }
        }
        // A word shared by several lists is weaker evidence for each of them.
        for (word, list) in evidence {
            let share = CommonWords.wordWeight / Double(list.count)
            evidence[word] = list.map { ($0.0, share) }
        }
        self.wordEvidence = evidence
        self.names = names
    }

    private let names: [String] // by profile index

    /// Identifies the language of `text`. Returns "und" with confidence 0 for text
    /// without letters (empty, digits, punctuation only).
    public func identify(_ text: String) -> LanguageGuess {
        let words = Self.words(in: text)
        guard !words.isEmpty else { return .undetermined }

        // Script decides first: many scripts belong to a single language.
        var scriptCounts: [LangScript: Int] = [:]
        var letterCount = 0
        for word in words {
            for s in word.unicodeScalars {
                scriptCounts[LangScript.of(scalar: s), default: 0] += 1
                letterCount += 1
            }
        }
        var dominant = scriptCounts.max { a, b in a.value != b.value ? a.value < b.value : a.key.rawValue > b.key.rawValue }!.key
        if dominant == .han, (scriptCounts[.kana] ?? 0) > 0 { dominant = .kana }
        if let unique = dominant.uniqueLanguage {
            let share = Double(scriptCounts[dominant] ?? 0) / Double(letterCount)
            return LanguageGuess(language: unique, confidence: min(0.99, 0.5 + 0.5 * share))
        }
        // One stray letter ("#A-99812") says nothing about a language.
        if dominant == .other || letterCount < 2 { return .undetermined }

        let candidates = (0..<names.count).filter { script[$0] == dominant }
        guard !candidates.isEmpty else { return .undetermined }

        var score = [Double](repeating: 0, count: names.count)
        var grams = 0
        for word in words {
            let padded: [Unicode.Scalar] = [" "] + word.unicodeScalars.map(Self.normalize) + [" "]
            for n in 1...3 {
                guard padded.count >= n else { continue }
                for start in 0...(padded.count - n) {
                    if n == 1 && padded[start] == " " { continue }
                    let key = Self.key(padded[start..<(start + n)])
                    guard let row = table[key] else { continue }
                    grams += 1
                    let from = row == 0 ? 0 : Int(entryEnd[Int(row) - 1])
                    let to = Int(entryEnd[Int(row)])
                    for e in from..<to {
                        score[Int(entryLang[e])] += Double(entryGain[e])
                    }
                }
            }
            if let evidence = wordEvidence[word.lowercased()] {
                for (l, w) in evidence { score[l] += w }
            }
        }
        guard grams > 0 else { return .undetermined }
        // The n-gram model is far too sure of itself (grams are not independent);
        // temper it so confidence means something on longer texts too.
        let temper = max(1.0, Double(grams) / 15.0)
        var best: [(Int, Double)] = candidates.map { ($0, score[$0] / temper + prior[$0]) }
        let maxScore = best.map(\.1).max()!
        let z = best.reduce(0.0) { $0 + exp($1.1 - maxScore) }
        best = best.map { ($0.0, exp($0.1 - maxScore) / z) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : names[$0.0] < names[$1.0] }
        // Very little text: say so through the confidence rather than pretending.
        let shortness = min(1.0, Double(letterCount) / 8.0)
        let top = best[0]
        return LanguageGuess(
            language: names[top.0],
            confidence: top.1 * shortness,
            alternatives: best.dropFirst().prefix(3).map { .init(language: names[$0.0], confidence: $0.1 * shortness) }
        )
    }

    // MARK: - Helpers

    private static func isoCode(forProfile name: String) -> String {
        switch name {
        case "zh-cn", "zh-tw": return "zh"
        case "no": return "nb"     // the Wikipedia profile is Bokmål
        default: return name
        }
    }

    /// Words of letters (and combining marks); everything else separates words.
    /// All-caps text is lowercased: the profiles are case-sensitive and shouting is common in tickets.
    static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var upper = 0, lower = 0
        for s in text.unicodeScalars {
            let p = s.properties
            if p.isAlphabetic || p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark {
                current.append(s)
                if p.isUppercase { upper += 1 } else if p.isLowercase { lower += 1 }
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        if upper > 3 && upper > lower * 2 { return words.map { $0.lowercased() } }
        return words
    }

    /// langdetect's character normalisations, so that lookups match how the profiles were built.
    private static func normalize(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s.value {
        case 0x0219: return Unicode.Scalar(0x015F)!  // ș → ş (Romanian)
        case 0x021B: return Unicode.Scalar(0x0163)!  // ț → ţ
        case 0x06CC: return Unicode.Scalar(0x064A)!  // Farsi yeh → Arabic yeh
        case 0x1EA0...0x1EFF: return Unicode.Scalar(0x1EC3)!  // Vietnamese tone letters
        default: return s
        }
    }

    private static func key<C: Collection>(_ scalars: C) -> UInt64 where C.Element == Unicode.Scalar {
        var k: UInt64 = 0
        for s in scalars { k = (k << 21) | UInt64(s.value) }
        return k
    }
}

/// Thread-safe once-only holder for the shared identifier.
private final class ProfileCache: @unchecked Sendable {
    private let lock = NSLock()
    private var value: LanguageIdentifier?

    func get(_ make: () throws -> LanguageIdentifier) throws -> LanguageIdentifier {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let made = try make()
        value = made
        return made
    }
}

enum LangScript: Int, Sendable {
    case latin, cyrillic, arabic, hebrew, greek, thai, devanagari, bengali, gujarati, gurmukhi
    case kannada, malayalam, tamil, telugu, han, kana, hangul, other

    var uniqueLanguage: String? {
        switch self {
        case .hebrew: return "he"
        case .greek: return "el"
        case .thai: return "th"
        case .bengali: return "bn"
        case .gujarati: return "gu"
        case .gurmukhi: return "pa"
        case .kannada: return "kn"
        case .malayalam: return "ml"
        case .tamil: return "ta"
        case .telugu: return "te"
        case .han: return "zh"
        case .kana: return "ja"
        case .hangul: return "ko"
        default: return nil
        }
    }

    static func of(scalar s: Unicode.Scalar) -> LangScript {
        switch s.value {
        case 0x0041...0x024F, 0x1E00...0x1EFF: return .latin
        case 0x0300...0x036F: return .latin   // combining diacritics
        case 0x0370...0x03FF, 0x1F00...0x1FFF: return .greek
        case 0x0400...0x052F: return .cyrillic
        case 0x0590...0x05FF: return .hebrew
        case 0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
        case 0x0900...0x097F: return .devanagari
        case 0x0980...0x09FF: return .bengali
        case 0x0A00...0x0A7F: return .gurmukhi
        case 0x0A80...0x0AFF: return .gujarati
        case 0x0B80...0x0BFF: return .tamil
        case 0x0C00...0x0C7F: return .telugu
        case 0x0C80...0x0CFF: return .kannada
        case 0x0D00...0x0D7F: return .malayalam
        case 0x0E00...0x0E7F: return .thai
        case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: return .hangul
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .kana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return .han
        default: return .other
        }
    }

    static func of(language: String) -> LangScript {
        switch language {
        case "bg", "mk", "ru", "uk": return .cyrillic
        case "ar", "fa", "ur": return .arabic
        case "hi", "mr", "ne": return .devanagari
        case "he": return .hebrew
        case "el": return .greek
        case "th": return .thai
        case "bn": return .bengali
        case "gu": return .gujarati
        case "pa": return .gurmukhi
        case "kn": return .kannada
        case "ml": return .malayalam
        case "ta": return .tamil
        case "te": return .telugu
        case "zh": return .han
        case "ja": return .kana
        case "ko": return .hangul
        default: return .latin
        }
    }
}
