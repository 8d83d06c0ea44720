/// What the customer wants, as the classifier names it (POLICY.md "Intents").
public enum Intent: String, Codable, Sendable, CaseIterable {
    case itemNotReceived = "item_not_received"
    case returnNotRefunded = "return_not_refunded"
    case refundNotReceived = "refund_not_received"
    case faultyOrNotAsDescribed = "faulty_or_not_as_described"
    case incorrectAmount = "incorrect_amount"
    case duplicateCharge = "duplicate_charge"
    case alreadyPaid = "already_paid"
    case subscriptionCancelled = "subscription_cancelled"
    case feeDispute = "fee_dispute"
    case unauthorizedPurchase = "unauthorized_purchase"
    case paymentChange = "payment_change"
    case paymentDeclined = "payment_declined"
    case financialDifficulty = "financial_difficulty"
    case generalInquiry = "general_inquiry"

    /// Whether the policy can only act once the ticket is matched to one order.
    public var needsOrder: Bool {
        switch self {
        case .itemNotReceived, .returnNotRefunded, .refundNotReceived, .faultyOrNotAsDescribed,
             .incorrectAmount, .duplicateCharge, .subscriptionCancelled, .unauthorizedPurchase:
            return true
        case .alreadyPaid, .feeDispute, .paymentChange, .paymentDeclined, .financialDifficulty,
             .generalInquiry:
            return false
        }
    }

    /// The team that handles this intent when a guardrail does not name one.
    public var team: Team {
        switch self {
        case .unauthorizedPurchase: return .fraud
        case .financialDifficulty: return .care
        case .generalInquiry, .paymentChange, .paymentDeclined, .alreadyPaid: return .general
        default: return .disputes
        }
    }
}

/// Signals that are independent of the intent; a ticket can carry several.
public enum Flag: String, Codable, Sendable, CaseIterable {
    case humanRequested = "human_requested"
    case vulnerability
    case formalComplaint = "formal_complaint"
    case legalThreat = "legal_threat"
}

public enum Team: String, Codable, Sendable, CaseIterable {
    case fraud, care, complaints, disputes, general
}

public enum Priority: String, Codable, Sendable, CaseIterable, Comparable {
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"

    // P1 is the most urgent, so it sorts first.
    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum Outcome: String, Codable, Sendable, CaseIterable {
    case autoResolved = "auto_resolved"
    case needsInfo = "needs_info"
    case escalated
}

public enum ActionKind: String, Codable, Sendable, CaseIterable {
    case refundCapture = "refund_capture"
    case pausePayments = "pause_payments"
    case waiveFee = "waive_fee"
    case freezeAccount = "freeze_account"
    case openMerchantDispute = "open_merchant_dispute"
    case notifyMerchant = "notify_merchant"
    case requestEvidence = "request_evidence"
    case applyPayment = "apply_payment"
    case extendDueDate = "extend_due_date"
}
