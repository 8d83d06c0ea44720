/// The languages replies are written in; anything else falls back to English.
public enum ReplyLanguage: String, Sendable, CaseIterable, Codable {
    case en, de, sv

    /// From a BCP 47 tag or bare code ("de-DE", "sv", "SV_se"); unknown → English.
    public init(tag: String?) {
        let code = tag?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() }
        self = code.flatMap(ReplyLanguage.init(rawValue:)) ?? .en
    }
}
