import Foundation

/// Ombud's intent classifier (POLICY.md's fourteen intents), a calibrated linear model.
/// Its confidence feeds the policy's 0.55 escalation threshold.
public struct IntentClassifier: TextClassifier {
    /// The intents of POLICY.md, in the order the policy lists them.
    public static let policyIntents = [
        "item_not_received", "return_not_refunded", "refund_not_received", "faulty_or_not_as_described",
        "incorrect_amount", "duplicate_charge", "already_paid", "subscription_cancelled", "fee_dispute",
        "unauthorized_purchase", "payment_change", "payment_declined", "financial_difficulty", "general_inquiry",
    ]

    public let model: LinearTextClassifier

    public init(model: LinearTextClassifier) throws {
        guard Set(model.labels) == Set(Self.policyIntents) else {
            throw ModelFile.ReadError.invalid("an intent model needs POLICY.md's fourteen intents, got \(model.labels)")
        }
        self.model = model
    }

    /// The model shipped in the module's resources (`Resources/intents.ombudmodel`).
    /// Rebuild it with `ombudctl model build-intents` (see data/intents/README.md).
    public static func bundled() throws -> IntentClassifier {
        let url = try BundledResource.url("intents", extension: "ombudmodel")
        return try IntentClassifier(model: LinearTextClassifier(modelData: Data(contentsOf: url)))
    }

    public var modelVersion: String { model.modelVersion }
    public var labels: [String] { model.labels }

    public func classify(_ text: String) -> Classification { model.classify(text) }
}
