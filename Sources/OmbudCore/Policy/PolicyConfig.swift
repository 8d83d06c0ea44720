import Foundation

/// The operator-tunable numbers of POLICY.md. Every field has the documented default; a policy
/// file only lists what it changes, must name its `version`, and may not contain unknown keys
/// (a typo would otherwise silently leave a default in force).
public struct PolicyConfig: Codable, Sendable, Hashable {
    public struct SLAHours: Codable, Sendable, Hashable {
        public var p1: Int = 1
        public var p2: Int = 4
        public var p3: Int = 24

        public init(p1: Int = 1, p2: Int = 4, p3: Int = 24) {
            self.p1 = p1
            self.p2 = p2
            self.p3 = p3
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case p1 = "P1", p2 = "P2", p3 = "P3"
        }

        public init(from decoder: any Decoder) throws {
            try PolicyConfig.rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = SLAHours()
            p1 = try c.decodeIfPresent(Int.self, forKey: .p1) ?? defaults.p1
            p2 = try c.decodeIfPresent(Int.self, forKey: .p2) ?? defaults.p2
            p3 = try c.decodeIfPresent(Int.self, forKey: .p3) ?? defaults.p3
        }

        public func hours(for priority: Priority) -> Int {
            switch priority {
            case .p1: return p1
            case .p2: return p2
            case .p3: return p3
            }
        }
    }

    public var version: String = "builtin-defaults"
    public var lowConfidenceThreshold: Double = 0.55
    public var automaticLimit: Amount = "500.00"
    /// The limit is in the order's currency; a market may need a different number (SEK vs EUR).
    public var automaticLimitByCurrency: [String: Amount] = [:]
    public var amountTolerance: Amount = "0.01"
    public var guardrailPauseDays: Int = 30
    public var resolutionPauseDays: Int = 21
    public var dueDateExtensionDays: Int = 10
    public var repeatContactWindowDays: Int = 14
    public var repeatContactThreshold: Int = 3
    public var duplicateCaptureWindowHours: Int = 48
    public var returnRefundWaitDays: Int = 14
    public var noShipmentDays: Int = 14
    public var goodwillWindowMonths: Int = 12
    public var complaintFinalResponseBusinessDays: Int = 15
    public var complaintFinalResponseBusinessDaysByMarket: [String: Int] = [:]
    /// POLICY.md only says "a help article matches well"; this is the score that counts as well, in the help
    /// centre's units (OmbudText `HelpCenter`: TF-IDF cosine 0…1, where on-topic questions score 0.38–0.77 and
    /// unrelated ones 0.10–0.21).
    public var helpArticleMinScore: Double = 0.30
    public var slaHours: SLAHours = SLAHours()
    /// Why a value is what it is, keyed by the field it explains (JSON has no comments). Decisions never read it;
    /// a note about a field that does not exist is refused like any unknown key.
    public var notes: [String: String] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version
        case lowConfidenceThreshold = "low_confidence_threshold"
        case automaticLimit = "automatic_limit"
        case automaticLimitByCurrency = "automatic_limit_by_currency"
        case amountTolerance = "amount_tolerance"
        case guardrailPauseDays = "guardrail_pause_days"
        case resolutionPauseDays = "resolution_pause_days"
        case dueDateExtensionDays = "due_date_extension_days"
        case repeatContactWindowDays = "repeat_contact_window_days"
        case repeatContactThreshold = "repeat_contact_threshold"
        case duplicateCaptureWindowHours = "duplicate_capture_window_hours"
        case returnRefundWaitDays = "return_refund_wait_days"
        case noShipmentDays = "no_shipment_days"
        case goodwillWindowMonths = "goodwill_window_months"
        case complaintFinalResponseBusinessDays = "complaint_final_response_business_days"
        case complaintFinalResponseBusinessDaysByMarket = "complaint_final_response_business_days_by_market"
        case helpArticleMinScore = "help_article_min_score"
        case slaHours = "sla_hours"
        case notes
    }

    public init(from decoder: any Decoder) throws {
        try PolicyConfig.rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var config = PolicyConfig()
        config.version = try c.decode(String.self, forKey: .version)
        func load<T: Decodable>(_ key: CodingKeys, into path: WritableKeyPath<PolicyConfig, T>) throws {
            if let value = try c.decodeIfPresent(T.self, forKey: key) { config[keyPath: path] = value }
        }
        try load(.lowConfidenceThreshold, into: \.lowConfidenceThreshold)
        try load(.automaticLimit, into: \.automaticLimit)
        try load(.automaticLimitByCurrency, into: \.automaticLimitByCurrency)
        try load(.amountTolerance, into: \.amountTolerance)
        try load(.guardrailPauseDays, into: \.guardrailPauseDays)
        try load(.resolutionPauseDays, into: \.resolutionPauseDays)
        try load(.dueDateExtensionDays, into: \.dueDateExtensionDays)
        try load(.repeatContactWindowDays, into: \.repeatContactWindowDays)
        try load(.repeatContactThreshold, into: \.repeatContactThreshold)
        try load(.duplicateCaptureWindowHours, into: \.duplicateCaptureWindowHours)
        try load(.returnRefundWaitDays, into: \.returnRefundWaitDays)
        try load(.noShipmentDays, into: \.noShipmentDays)
        try load(.goodwillWindowMonths, into: \.goodwillWindowMonths)
        try load(.complaintFinalResponseBusinessDays, into: \.complaintFinalResponseBusinessDays)
        try load(.complaintFinalResponseBusinessDaysByMarket, into: \.complaintFinalResponseBusinessDaysByMarket)
        try load(.helpArticleMinScore, into: \.helpArticleMinScore)
        try load(.slaHours, into: \.slaHours)
        try load(.notes, into: \.notes)
        let explained = CodingKeys.allCases.filter { $0 != .notes }.map(\.rawValue)
        let unexplainable = config.notes.keys.filter { !explained.contains($0) }.sorted()
        if !unexplainable.isEmpty { throw PolicyConfigError.unknownKeys(unexplainable, at: "notes") }
        try config.automaticLimitByCurrency.keys.sorted().forEach { code in
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw PolicyConfigError.invalid("automatic_limit_by_currency: '\(code)' is not an ISO 4217 code such as SEK")
            }
        }
        self = config
    }

    /// Loads a policy file (`OMBUD_POLICY`).
    public static func load(contentsOf url: URL) throws -> PolicyConfig {
        let data = try Data(contentsOf: url)
        return try decode(data)
    }

    public static func decode(_ data: Data) throws -> PolicyConfig {
        do {
            return try JSONDecoder().decode(PolicyConfig.self, from: data)
        } catch let error as PolicyConfigError {
            throw error
        } catch {
            throw PolicyConfigError.invalid(String(describing: error))
        }
    }

    /// The automatic limit for an order in `currency`.
    public func automaticLimit(currency: String) -> Amount {
        automaticLimitByCurrency[currency.uppercased()] ?? automaticLimit
    }

    /// Business days until a complaint's final response, for the customer's market ("SE").
    public func complaintBusinessDays(market: String?) -> Int {
        market.flatMap { complaintFinalResponseBusinessDaysByMarket[$0.uppercased()] }
            ?? complaintFinalResponseBusinessDays
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func rejectUnknownKeys(_ decoder: any Decoder, known: [String]) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        let unknown = keys.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty {
            let path = decoder.codingPath.map(\.stringValue).joined(separator: ".")
            throw PolicyConfigError.unknownKeys(unknown, at: path)
        }
    }
}

public enum PolicyConfigError: Error, Equatable, CustomStringConvertible {
    case unknownKeys([String], at: String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .unknownKeys(keys, at: path):
            let place = path.isEmpty ? "the policy file" : "`\(path)`"
            return "unknown key(s) in \(place): \(keys.joined(separator: ", ")) — check the spelling against POLICY.md"
        case let .invalid(reason):
            return "invalid policy file: \(reason)"
        }
    }
}
