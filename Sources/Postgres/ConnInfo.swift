import Foundation

/// Pure helpers around connection strings and SQL text, kept apart from libpq so they are unit-tested.
enum ConnInfo {
    /// Every spelling of the password found in a URI (`postgres://u:pw@h`, `?password=pw`) or a
    /// keyword/value string (`password=pw`, `password='p w'`): raw and percent-decoded.
    static func passwords(in conninfo: String) -> [String] {
        var found: [String] = []
        let trimmed = conninfo.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgresql://") || trimmed.hasPrefix("postgres://") {
            let afterScheme = trimmed[trimmed.range(of: "://")!.upperBound...]
            let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
            let authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                found.append(String(authority[authority.index(after: colon)..<at]))
            }
            if let question = afterScheme.firstIndex(of: "?") {
                for pair in afterScheme[afterScheme.index(after: question)...].split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    if parts.count == 2, parts[0] == "password" { found.append(String(parts[1])) }
                }
            }
            found += found.compactMap { $0.removingPercentEncoding }
        } else {
            for (key, value) in keywordPairs(trimmed) where key == "password" {
                found.append(value)
            }
        }
        return Array(Set(found.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
    }

    /// Replaces every occurrence of the conninfo's password in `message`.
    static func redact(_ message: String, conninfo: String) -> String {
        passwords(in: conninfo).reduce(message) { text, password in
            text.replacingOccurrences(of: password, with: "********")
        }
    }

    /// Splits `key = value key2='quoted \' value'` the way libpq does; lenient on malformed input.
    static func keywordPairs(_ conninfo: String) -> [(key: String, value: String)] {
        var pairs: [(String, String)] = []
        var characters = Substring(conninfo)
        func skipSpaces() { characters = characters.drop(while: \.isWhitespace) }
        while true {
            skipSpaces()
            guard !characters.isEmpty else { break }
            let key = characters.prefix(while: { $0 != "=" && !$0.isWhitespace })
            characters = characters.dropFirst(key.count)
            skipSpaces()
            guard characters.first == "=" else { break }
            characters = characters.dropFirst()
            skipSpaces()
            var value = ""
            if characters.first == "'" {
                characters = characters.dropFirst()
                while let character = characters.popFirst(), character != "'" {
                    if character == "\\", let escaped = characters.popFirst() { value.append(escaped) } else { value.append(character) }
                }
            } else {
                while let character = characters.first, !character.isWhitespace {
                    characters = characters.dropFirst()
                    if character == "\\", let escaped = characters.popFirst() { value.append(escaped) } else { value.append(character) }
                }
            }
            pairs.append((String(key), value))
        }
        return pairs
    }
}

enum SQLText {
    /// `"name"` with embedded quotes doubled, so any channel/savepoint name is a single identifier.
    static func quoteIdentifier(_ name: String) throws -> String {
        guard !name.isEmpty, !name.utf8.contains(0) else {
            throw PostgresError(.other, message: "invalid identifier: must be non-empty and contain no NUL")
        }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
