/// What the classify stage concluded about the ticket.
public struct Classification: Sendable, Hashable {
    public var intent: Intent
    public var confidence: Double
    public var flags: Set<Flag>
    public var entities: EntitySummary

    public init(intent: Intent, confidence: Double = 1.0, flags: Set<Flag> = [],
                entities: EntitySummary = EntitySummary()) {
        self.intent = intent
        self.confidence = confidence
        self.flags = flags
        self.entities = entities
    }
}

/// The entities the classifier found; `OrderMatcher` ranks the customer's orders with them.
public struct EntitySummary: Sendable, Hashable {
    public var amounts: [Money]
    public var orderRefs: [String]
    public var merchants: [String]
    public var trackingNumbers: [String]
    public var dates: [Day]
    /// Shops the text names that are none of the customer's merchants ("my parcel from Lego" from a customer who
    /// only shops at Boots): they point at no order, so they make an only order no longer the obvious one.
    public var otherMerchants: [String]
    /// Sums the text gives as approximate ("about 150"; currency "" when it names none): they point at an order
    /// within `OrderMatcher.approximateTolerance`, and against every other.
    public var approximateAmounts: [Money]

    public init(amounts: [Money] = [], orderRefs: [String] = [], merchants: [String] = [],
                trackingNumbers: [String] = [], dates: [Day] = [], otherMerchants: [String] = [],
                approximateAmounts: [Money] = []) {
        self.approximateAmounts = approximateAmounts
        self.amounts = amounts
        self.orderRefs = orderRefs
        self.merchants = merchants
        self.trackingNumbers = trackingNumbers
        self.dates = dates
        self.otherMerchants = otherMerchants
    }

    public var isEmpty: Bool {
        amounts.isEmpty && orderRefs.isEmpty && merchants.isEmpty && trackingNumbers.isEmpty && dates.isEmpty
            && otherMerchants.isEmpty && approximateAmounts.isEmpty
    }
}

/// The lookup stage's answer to "which order is this about".
public enum OrderMatch: Sendable, Hashable {
    case matched(orderId: String)
    case ambiguous(candidates: [String])
    case none
}

/// A help-centre article the answer search found for a general inquiry.
public struct HelpArticleMatch: Sendable, Hashable {
    public var id: String
    public var score: Double

    public init(id: String, score: Double) {
        self.id = id
        self.score = score
    }
}

public struct DecisionInput: Sendable {
    public var caseId: String
    public var classification: Classification
    public var orderMatch: OrderMatch
    /// How many times this case already asked the customer for the order number.
    public var orderRequestsSent: Int
    public var ledger: LedgerFacts
    /// Contacts on this case inside the repeat-contact window, this ticket included.
    public var contactsInWindow: Int
    /// The customer has sent the evidence a previous `request_evidence` asked for.
    public var evidenceArrived: Bool
    public var helpArticle: HelpArticleMatch?
    /// The ticket's `received_at`: the clock of every rule.
    public var now: Timestamp

    public init(caseId: String, classification: Classification, orderMatch: OrderMatch,
                orderRequestsSent: Int = 0, ledger: LedgerFacts, contactsInWindow: Int = 1,
                evidenceArrived: Bool = false, helpArticle: HelpArticleMatch? = nil, now: Timestamp) {
        self.caseId = caseId
        self.classification = classification
        self.orderMatch = orderMatch
        self.orderRequestsSent = orderRequestsSent
        self.ledger = ledger
        self.contactsInWindow = contactsInWindow
        self.evidenceArrived = evidenceArrived
        self.helpArticle = helpArticle
        self.now = now
    }
}

/// One action the resolve stage executes (or, for a recommendation, an agent may execute).
public struct PlannedAction: Sendable, Hashable, Codable {
    public var kind: ActionKind
    /// The ledger row acted on: capture, order, fee, payment, customer, or `order#n` for an instalment.
    public var target: String
    public var amount: Money?
    public var days: Int?
    /// A second row the action involves (the instalment an incoming payment is applied to).
    public var relatedTo: String?
    /// `<case>:<kind>:<target>`, unique in the actions table so redelivery executes it once.
    public var idempotencyKey: String

    public init(caseId: String, kind: ActionKind, target: String, amount: Money? = nil,
                days: Int? = nil, relatedTo: String? = nil) {
        self.kind = kind
        self.target = target
        self.amount = amount
        self.days = days
        self.relatedTo = relatedTo
        self.idempotencyKey = "\(caseId):\(kind.rawValue):\(target)"
    }
}

public struct EscalationPlan: Sendable, Hashable, Codable {
    public var team: Team
    public var priority: Priority
    public var firstResponseDue: Timestamp
    /// Set for complaints: the regulatory final-response deadline.
    public var regulatoryDue: Timestamp?
}

/// Facts the reply templates fill in.
public struct ReplyFacts: Sendable, Hashable, Codable {
    public var orderId: String?
    public var merchant: String?
    public var amount: Money?
    public var date: Day?
    public var carrier: String?
    public var tracking: String?
    public var days: Int?
    public var articleId: String?

    public init(orderId: String? = nil, merchant: String? = nil, amount: Money? = nil, date: Day? = nil,
                carrier: String? = nil, tracking: String? = nil, days: Int? = nil, articleId: String? = nil) {
        self.orderId = orderId
        self.merchant = merchant
        self.amount = amount
        self.date = date
        self.carrier = carrier
        self.tracking = tracking
        self.days = days
        self.articleId = articleId
    }
}

public struct Decision: Sendable, Hashable, Codable {
    public var caseId: String
    public var intent: Intent
    /// The rule that fired, e.g. `guardrail.unauthorized_purchase`.
    public var rule: String
    public var policyVersion: String
    public var outcome: Outcome
    /// Executed now.
    public var actions: [PlannedAction]
    public var escalation: EscalationPlan?
    /// What the policy would have done had the amount been within the automatic limit (guardrail 7).
    public var recommendation: [PlannedAction]
    /// No new late or reminder fees while the case is open (guardrail 2).
    public var suspendFees: Bool
    /// Send an acknowledgement now (guardrail 3).
    public var acknowledge: Bool
    public var explanation: [String: String]
    public var replyFacts: ReplyFacts

    public var team: Team? { escalation?.team }
    public var priority: Priority? { escalation?.priority }
}
