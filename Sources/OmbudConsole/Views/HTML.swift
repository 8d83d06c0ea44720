/// The console's only way to put text into a page: every value from the database, a header or a form goes through
/// `HTML.escape` (element content and quoted attribute values alike), so a customer's `<script>` is shown as text.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters other than tab and newlines have no place in a page; show them as U+FFFD.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes an optional value, showing `placeholder` for nil or empty.
    public static func escape(_ text: String?, or placeholder: String) -> String {
        guard let text, !text.isEmpty else { return escape(placeholder) }
        return escape(text)
    }
}

/// A string of HTML that has already been escaped or is the console's own markup. Views build pages from these;
/// interpolating a plain `String` escapes it, so raw text cannot slip in by accident.
public struct Markup: Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public private(set) var html: String

    public init(raw html: String) { self.html = html }
    public init(stringLiteral value: String) { html = value }
    public init(stringInterpolation: Interpolation) { html = stringInterpolation.html }

    public var description: String { html }

    public static func + (lhs: Markup, rhs: Markup) -> Markup { Markup(raw: lhs.html + rhs.html) }

    public static func join(_ parts: [Markup], separator: Markup = "") -> Markup {
        Markup(raw: parts.map(\.html).joined(separator: separator.html))
    }

    public struct Interpolation: StringInterpolationProtocol {
        var html = ""
        public init(literalCapacity: Int, interpolationCount: Int) { html.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { html += literal }
        /// Text: always escaped.
        public mutating func appendInterpolation(_ text: String) { html += HTML.escape(text) }
        public mutating func appendInterpolation(_ text: String?, or placeholder: String = "—") {
            html += HTML.escape(text, or: placeholder)
        }
        public mutating func appendInterpolation(_ number: Int) { html += String(number) }
        /// Markup built elsewhere from escaped parts.
        public mutating func appendInterpolation(_ markup: Markup) { html += markup.html }
        public mutating func appendInterpolation(_ parts: [Markup]) { html += parts.map(\.html).joined() }
    }
}
