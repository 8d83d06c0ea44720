/// Ledger facts as the lookup stage (and the scenario format's `ledger` object) present them.
/// Field names follow POLICY.md's scenario format; optional lists may be omitted in JSON.

public enum CustomerStatus: String, Codable, Sendable {
    case active
    case frozen
    case underInvestigation = "under_investigation"
}

public struct Customer: Codable, Sendable, Hashable {
    public var id: String
    public var name: String?
    public var email: String?
    public var locale: String?
    public var status: CustomerStatus

    public init(id: String, name: String? = nil, email: String? = nil, locale: String? = nil,
                status: CustomerStatus = .active) {
        self.id = id
        self.name = name
        self.email = email
        self.locale = locale
        self.status = status
    }

    /// The market is the locale's region ("sv-SE" → "SE"), used for per-market deadlines.
    public var market: String? {
        guard let locale else { return nil }
        let parts = locale.split(whereSeparator: { $0 == "-" || $0 == "_" })
        return parts.count >= 2 ? parts.last.map { String($0).uppercased() } : nil
    }
}

public struct Capture: Codable, Sendable, Hashable {
    public var id: String
    public var amount: Amount
    public var at: Timestamp

    public init(id: String, amount: Amount, at: Timestamp) {
        self.id = id
        self.amount = amount
        self.at = at
    }
}

public enum InstallmentStatus: String, Codable, Sendable {
    case paid, pending, overdue, paused
}

public struct Installment: Codable, Sendable, Hashable {
    public var n: Int
    public var amount: Amount
    public var due: Day
    public var status: InstallmentStatus
    public var pausedUntil: Day?
    public var extended: Bool

    enum CodingKeys: String, CodingKey {
        case n, amount, due, status, extended
        case pausedUntil = "paused_until"
    }

    public init(n: Int, amount: Amount, due: Day, status: InstallmentStatus,
                pausedUntil: Day? = nil, extended: Bool = false) {
        self.n = n
        self.amount = amount
        self.due = due
        self.status = status
        self.pausedUntil = pausedUntil
        self.extended = extended
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        n = try c.decode(Int.self, forKey: .n)
        amount = try c.decode(Amount.self, forKey: .amount)
        due = try c.decode(Day.self, forKey: .due)
        status = try c.decode(InstallmentStatus.self, forKey: .status)
        pausedUntil = try c.decodeIfPresent(Day.self, forKey: .pausedUntil)
        extended = try c.decodeIfPresent(Bool.self, forKey: .extended) ?? false
    }

    /// Not yet paid: pending, overdue or paused.
    public var isOpen: Bool { status != .paid }
}

public struct PaymentPlan: Codable, Sendable, Hashable {
    public var kind: String
    public var installments: [Installment]

    public init(kind: String, installments: [Installment]) {
        self.kind = kind
        self.installments = installments
    }
}

public enum ShipmentStatus: String, Codable, Sendable {
    case notShipped = "not_shipped"
    case inTransit = "in_transit"
    case delivered
}

public struct Shipment: Codable, Sendable, Hashable {
    public var carrier: String?
    public var tracking: String?
    public var status: ShipmentStatus
    public var expectedDelivery: Day?
    public var deliveredAt: Timestamp?

    enum CodingKeys: String, CodingKey {
        case carrier, tracking, status
        case expectedDelivery = "expected_delivery"
        case deliveredAt = "delivered_at"
    }

    public init(carrier: String? = nil, tracking: String? = nil, status: ShipmentStatus,
                expectedDelivery: Day? = nil, deliveredAt: Timestamp? = nil) {
        self.carrier = carrier
        self.tracking = tracking
        self.status = status
        self.expectedDelivery = expectedDelivery
        self.deliveredAt = deliveredAt
    }
}

public enum ReturnStatus: String, Codable, Sendable {
    case inTransit = "in_transit"
    case deliveredToMerchant = "delivered_to_merchant"
}

public struct ReturnShipment: Codable, Sendable, Hashable {
    public var registeredAt: Timestamp?
    public var status: ReturnStatus
    public var deliveredAt: Timestamp?

    enum CodingKeys: String, CodingKey {
        case status
        case registeredAt = "registered_at"
        case deliveredAt = "delivered_at"
    }

    public init(registeredAt: Timestamp? = nil, status: ReturnStatus, deliveredAt: Timestamp? = nil) {
        self.registeredAt = registeredAt
        self.status = status
        self.deliveredAt = deliveredAt
    }
}

public struct Refund: Codable, Sendable, Hashable {
    public var id: String
    public var amount: Amount
    public var at: Timestamp
    /// Not in POLICY.md's format; when present it ties the refund to one capture.
    public var captureId: String?

    enum CodingKeys: String, CodingKey {
        case id, amount, at
        case captureId = "capture_id"
    }

    public init(id: String, amount: Amount, at: Timestamp, captureId: String? = nil) {
        self.id = id
        self.amount = amount
        self.at = at
        self.captureId = captureId
    }
}

public enum FeeKind: String, Codable, Sendable {
    case late, reminder
}

public struct Fee: Codable, Sendable, Hashable {
    public var id: String
    public var kind: FeeKind
    public var amount: Amount
    public var at: Timestamp
    public var waived: Bool
    /// Not in POLICY.md's format; when absent a waiver counts as made when the fee was charged.
    public var waivedAt: Timestamp?

    enum CodingKeys: String, CodingKey {
        case id, kind, amount, at, waived
        case waivedAt = "waived_at"
    }

    public init(id: String, kind: FeeKind, amount: Amount, at: Timestamp, waived: Bool = false,
                waivedAt: Timestamp? = nil) {
        self.id = id
        self.kind = kind
        self.amount = amount
        self.at = at
        self.waived = waived
        self.waivedAt = waivedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(FeeKind.self, forKey: .kind)
        amount = try c.decode(Amount.self, forKey: .amount)
        at = try c.decode(Timestamp.self, forKey: .at)
        waived = try c.decodeIfPresent(Bool.self, forKey: .waived) ?? false
        waivedAt = try c.decodeIfPresent(Timestamp.self, forKey: .waivedAt)
    }
}

public struct Subscription: Codable, Sendable, Hashable {
    public var cancelledAt: Timestamp?

    enum CodingKeys: String, CodingKey { case cancelledAt = "cancelled_at" }

    public init(cancelledAt: Timestamp? = nil) { self.cancelledAt = cancelledAt }
}

/// Not in POLICY.md's format: a merchant dispute on the order, for the fee rule
/// "charged while a dispute was open".
public struct MerchantDispute: Codable, Sendable, Hashable {
    public var openedAt: Timestamp
    public var closedAt: Timestamp?

    enum CodingKeys: String, CodingKey {
        case openedAt = "opened_at"
        case closedAt = "closed_at"
    }

    public init(openedAt: Timestamp, closedAt: Timestamp? = nil) {
        self.openedAt = openedAt
        self.closedAt = closedAt
    }
}

public struct Order: Codable, Sendable, Hashable {
    public var id: String
    public var merchant: String
    public var total: Amount
    public var currency: String
    public var createdAt: Timestamp
    public var subscription: Subscription?
    public var captures: [Capture]
    public var plan: PaymentPlan?
    public var shipments: [Shipment]
    public var returns: [ReturnShipment]
    public var refunds: [Refund]
    public var fees: [Fee]
    public var disputes: [MerchantDispute]

    enum CodingKeys: String, CodingKey {
        case id, merchant, total, currency, subscription, captures, plan, shipments, returns,
             refunds, fees, disputes
        case createdAt = "created_at"
    }

    public init(id: String, merchant: String, total: Amount, currency: String, createdAt: Timestamp,
                subscription: Subscription? = nil, captures: [Capture] = [], plan: PaymentPlan? = nil,
                shipments: [Shipment] = [], returns: [ReturnShipment] = [], refunds: [Refund] = [],
                fees: [Fee] = [], disputes: [MerchantDispute] = []) {
        self.id = id
        self.merchant = merchant
        self.total = total
        self.currency = currency
        self.createdAt = createdAt
        self.subscription = subscription
        self.captures = captures
        self.plan = plan
        self.shipments = shipments
        self.returns = returns
        self.refunds = refunds
        self.fees = fees
        self.disputes = disputes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        merchant = try c.decode(String.self, forKey: .merchant)
        total = try c.decode(Amount.self, forKey: .total)
        currency = try c.decode(String.self, forKey: .currency)
        createdAt = try c.decode(Timestamp.self, forKey: .createdAt)
        subscription = try c.decodeIfPresent(Subscription.self, forKey: .subscription)
        captures = try c.decodeIfPresent([Capture].self, forKey: .captures) ?? []
        plan = try c.decodeIfPresent(PaymentPlan.self, forKey: .plan)
        shipments = try c.decodeIfPresent([Shipment].self, forKey: .shipments) ?? []
        returns = try c.decodeIfPresent([ReturnShipment].self, forKey: .returns) ?? []
        refunds = try c.decodeIfPresent([Refund].self, forKey: .refunds) ?? []
        fees = try c.decodeIfPresent([Fee].self, forKey: .fees) ?? []
        disputes = try c.decodeIfPresent([MerchantDispute].self, forKey: .disputes) ?? []
    }

    public var installments: [Installment] { plan?.installments ?? [] }
}

public enum IncomingPaymentStatus: String, Codable, Sendable {
    case matched, unmatched
}

public struct IncomingPayment: Codable, Sendable, Hashable {
    public var id: String
    public var amount: Amount
    public var reference: String?
    public var status: IncomingPaymentStatus
    public var at: Timestamp

    public init(id: String, amount: Amount, reference: String? = nil,
                status: IncomingPaymentStatus, at: Timestamp) {
        self.id = id
        self.amount = amount
        self.reference = reference
        self.status = status
        self.at = at
    }
}

/// One customer's slice of the ledger.
public struct LedgerFacts: Codable, Sendable, Hashable {
    public var customer: Customer
    public var orders: [Order]
    public var payments: [IncomingPayment]

    public init(customer: Customer, orders: [Order] = [], payments: [IncomingPayment] = []) {
        self.customer = customer
        self.orders = orders
        self.payments = payments
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        customer = try c.decode(Customer.self, forKey: .customer)
        orders = try c.decodeIfPresent([Order].self, forKey: .orders) ?? []
        payments = try c.decodeIfPresent([IncomingPayment].self, forKey: .payments) ?? []
    }

    enum CodingKeys: String, CodingKey { case customer, orders, payments }

    public func order(id: String) -> Order? { orders.first { $0.id == id } }
}
