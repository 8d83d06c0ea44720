import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A cheap necessary condition for a case-insensitive regular expression: literal strings, read off the pattern,
/// at least one of which every match contains. A text that holds none of them (lower-cased) cannot match, so the
/// regular expression need not run: most tickets hold none of a flag rule's words, and ICU's matcher was most of
/// the classify stage's time. When nothing can be derived (a pattern that is all classes), the filter passes
/// every text.
///
/// The analysis is the one of Google Code Search's trigram index, on whole literals: alternatives union their
/// literal sets, a sequence keeps its most selective part, and an optional part or a class contributes nothing.
public struct RegexPrefilter: Sendable, Equatable {
    /// Lower-cased UTF-8 literals, one of which every match contains; nil: no condition, always run.
    public let literals: [[UInt8]]?

    public init(pattern: String) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let info = parser.alternation()
        // A pattern the parser did not read to its end (a construct it does not know) gets no filter.
        literals = parser.atEnd ? info.requiredSet().map { $0.map { Array($0.utf8) } } : nil
    }

    /// False only when the regular expression cannot match `lowercased` (the text's UTF-8, lower-cased).
    public func mayMatch(_ lowercased: [UInt8]) -> Bool {
        guard let literals else { return true }
        return literals.contains { ByteSearch.contains(lowercased, $0) }
    }

    /// Texts for `mayMatch`: lower-cased UTF-8, or nil for a text with characters whose case folding is not their
    /// lower case (ß and ſ fold to "ss" and "s", the Kelvin sign to "k", ligatures to letters): those always run.
    public static func prepared(_ text: String) -> [UInt8]? {
        if text.unicodeScalars.contains(where: foldsUnlikeLowerCase) { return nil }
        return Array(text.lowercased().utf8)
    }

    /// Characters whose case folding differs from their lower case, in texts and in patterns alike.
    static func foldsUnlikeLowerCase(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xDF, 0x130, 0x131, 0x17F, 0x1E9E, 0x212A, 0x212B, 0x3C2, 0xFB00...0xFB06: true
        default: false
        }
    }

    /// What a part of a pattern can match: the exact strings, when few and known, and a set of literals one of which
    /// every match contains.
    struct Info {
        /// Every string the part can match, lower-cased (nil: too many or unknown).
        var exact: Set<String>?
        /// Literals one of which every match contains (nil: none known).
        var required: Set<String>?

        static let anything = Info(exact: nil, required: nil)
        static let empty = Info(exact: [""], required: nil)

        /// The most selective condition known.
        func requiredSet() -> Set<String>? {
            Self.better(required, Self.asRequired(exact))
        }

        static func asRequired(_ exact: Set<String>?) -> Set<String>? {
            guard let exact, !exact.isEmpty, !exact.contains("") else { return nil }
            return exact
        }

        /// The more selective of two conditions: the longer shortest literal, then the fewer literals.
        static func better(_ a: Set<String>?, _ b: Set<String>?) -> Set<String>? {
            guard let a else { return b }
            guard let b else { return a }
            let ma = a.map(\.count).min() ?? 0, mb = b.map(\.count).min() ?? 0
            if ma != mb { return ma > mb ? a : b }
            return a.count <= b.count ? a : b
        }

        /// `self` followed by `next`.
        func then(_ next: Info) -> Info {
            var exact: Set<String>?
            if let a = self.exact, let b = next.exact, a.count * b.count <= 64 {
                exact = Set(a.flatMap { x in b.map { x + $0 } })
            }
            let required = [self.required, next.required, Self.asRequired(self.exact), Self.asRequired(next.exact),
                            Self.asRequired(exact)].reduce(nil, Self.better)
            return Info(exact: exact, required: required)
        }

        /// `self` or `other`.
        func or(_ other: Info) -> Info {
            var exact: Set<String>?
            if let a = self.exact, let b = other.exact, a.count + b.count <= 64 { exact = a.union(b) }
            let left = requiredSet(), right = other.requiredSet()
            let required = left.flatMap { l in right.map { l.union($0) } }
            return Info(exact: exact, required: required)
        }
    }

    /// A recursive-descent reader of the pattern syntax the rules use (ICU's): alternation, groups and
    /// look-arounds, classes, escapes and quantifiers.
    struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0
        var atEnd: Bool { position == scalars.count }

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        mutating func alternation() -> Info {
            var info = sequence()
            while current == "|" {
                position += 1
                info = info.or(sequence())
            }
            return info
        }

        /// A sequence: runs of literal parts are joined into strings ("s", "u", "e" → "sue"), then the runs and the
        /// other parts are combined, keeping the most selective condition.
        mutating func sequence() -> Info {
            var info = Info.empty
            var run: Info?
            while let c = current, c != "|", c != ")" {
                guard let atom = atom() else { return .anything }
                let part = quantified(atom)
                if part.exact != nil {
                    let joined = run.map { $0.then(part) } ?? part
                    if joined.exact != nil {
                        run = joined
                    } else {
                        // Too many strings to join: the run so far ends here.
                        info = info.then(run!)
                        run = part
                    }
                } else {
                    if let done = run { info = info.then(done) }
                    run = nil
                    info = info.then(part)
                }
            }
            if let done = run { info = info.then(done) }
            return info
        }

        /// Applies a quantifier after an atom, if there is one.
        mutating func quantified(_ atom: Info) -> Info {
            guard let c = current else { return atom }
            var result: Info
            switch c {
            case "?":
                position += 1
                result = Info(exact: atom.exact.map { $0.union([""]) }, required: nil)
            case "*":
                position += 1
                result = .anything
            case "+":
                position += 1
                result = Info(exact: nil, required: atom.requiredSet())
            case "{":
                guard let close = scalars[position...].firstIndex(of: "}") else { return atom }
                let body = String(String.UnicodeScalarView(scalars[(position + 1)..<close]))
                position = close + 1
                let minimum = Int(body.split(separator: ",", omittingEmptySubsequences: false).first ?? "") ?? 0
                result = minimum >= 1 ? Info(exact: nil, required: atom.requiredSet()) : .anything
            default:
                return atom
            }
            // Lazy and possessive forms match the same strings.
            if current == "?" || current == "+" { position += 1 }
            return result
        }

        /// One atom, or nil for syntax this reader does not know (the pattern then gets no filter).
        mutating func atom() -> Info? {
            guard let c = current else { return nil }
            position += 1
            switch c {
            case "(":
                var zeroWidth = false
                if current == "?" {
                    position += 1
                    switch current {
                    case ":": position += 1
                    case "=", "!": position += 1; zeroWidth = true
                    case "<":
                        position += 1
                        if current == "=" || current == "!" {
                            position += 1; zeroWidth = true
                        } else {
                            // A named group: skip the name.
                            guard let close = scalars[position...].firstIndex(of: ">") else { return nil }
                            position = close + 1
                        }
                    default: return nil   // inline flags and other constructs
                    }
                }
                let inner = alternation()
                guard current == ")" else { return nil }
                position += 1
                return zeroWidth ? .empty : inner
            case "[":
                // A class matches one character of many: skip it, minding escapes and a leading ']'.
                if current == "^" { position += 1 }
                if current == "]" { position += 1 }
                while let d = current, d != "]" {
                    position += d == "\\" ? 2 : 1
                }
                guard current == "]" else { return nil }
                position += 1
                return .anything
            case ".": return .anything
            case "^", "$": return .empty
            case "\\":
                guard let e = current else { return nil }
                position += 1
                if e.properties.isAlphabetic || e.properties.numericType != nil {
                    switch e {
                    case "b", "B", "A", "z", "Z", "G": return .empty
                    case "p", "P":
                        if current == "{" {
                            guard let close = scalars[position...].firstIndex(of: "}") else { return nil }
                            position = close + 1
                        } else {
                            position += 1
                        }
                        return .anything
                    case "s", "S", "w", "W", "d", "D", "n", "t", "r", "h", "H", "v", "V", "R", "X": return .anything
                    default: return nil   // \Q…\E, \x{…}, back references: not used by the rules
                    }
                }
                return Self.literal(e)
            case ")", "|", "?", "*", "+", "{": return nil
            default:
                return Self.literal(c)
            }
        }

        /// One literal character, lower-cased; characters whose case folding is not plain lower-casing count as a class.
        static func literal(_ c: Unicode.Scalar) -> Info {
            let lower = String(c).lowercased()
            if lower.unicodeScalars.count != 1 || RegexPrefilter.foldsUnlikeLowerCase(c) {
                return .anything
            }
            return Info(exact: [lower], required: nil)
        }
    }
}

/// What the entity rules' gates read off a text, once for all the rules: its lower-cased UTF-8 for their literal
/// filters (nil when its case folding surprises; every filter then passes), its ASCII digits, and the marks some
/// patterns start with ("#", "1Z"). A rule skips a regular expression its gate says cannot match.
struct TextGate {
    let lowered: [UInt8]?
    let digits: Int
    let hasHash: Bool
    /// "1Z" (bytes, as the case-sensitive UPS pattern reads it).
    let hasUPSPrefix: Bool

    init(_ text: String) {
        var digits = 0, hasHash = false, hasUPSPrefix = false, previous: UInt8 = 0
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 { digits += 1 }
            if byte == UInt8(ascii: "#") { hasHash = true }
            if previous == UInt8(ascii: "1"), byte == UInt8(ascii: "Z") { hasUPSPrefix = true }
            previous = byte
        }
        self.init(lowered: RegexPrefilter.prepared(text), digits: digits, hasHash: hasHash, hasUPSPrefix: hasUPSPrefix)
    }

    private init(lowered: [UInt8]?, digits: Int, hasHash: Bool, hasUPSPrefix: Bool) {
        self.lowered = lowered
        self.digits = digits
        self.hasHash = hasHash
        self.hasUPSPrefix = hasUPSPrefix
    }

    /// Lets everything through: every regular expression runs (the tests compare the gated rules with it).
    static let open = TextGate(lowered: nil, digits: .max, hasHash: true, hasUPSPrefix: true)

    func mayMatch(_ filter: RegexPrefilter) -> Bool {
        lowered.map(filter.mayMatch) ?? true
    }
}

/// Substring search over UTF-8 bytes: memchr for the needle's first byte, then memcmp.
enum ByteSearch {
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let base = h.baseAddress!, first = Int32(n[0]), length = n.count
                // The second byte is checked before memcmp: a common first letter stops memchr often.
                let second = length > 1 ? n[1] : 0
                var offset = 0
                let last = h.count - length
                while offset <= last {
                    guard let found = memchr(base + offset, first, last - offset + 1) else { return false }
                    let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if length == 1 || (base[at + 1] == second && memcmp(base + at, n.baseAddress!, length) == 0) { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }
}
