/// The system of record that the lookup stage reads and the resolve stage's actions change
/// (DESIGN.md "PostgreSQL"). Production lenders plug in their own system; `PostgresLedger`
/// (target OmbudLedger) is the default implementation.
///
/// Idempotency contract for every money-changing operation:
/// - Each call carries an `idempotencyKey` (the resolve stage derives it from the case and the action).
/// - The first call with a key changes the ledger and records the key with what was done, atomically:
///   the change and the record commit or roll back together (with the caller's transaction, when there is one).
/// - A later call with the same key changes nothing and returns `.alreadyApplied` with the first call's
///   result, even after a crash between the two calls or from another process.
/// - Reusing a key for a different kind of action or a different target throws `LedgerError.keyReused`.
/// - An action that cannot apply (the capture is fully refunded, the fee is already waived, …) throws
///   `LedgerError.notApplicable` and records nothing, so the key stays free.
public protocol Ledger {
    func customer(id: String) throws -> Customer?
    /// Case-insensitive. When several customers share the address, the most recently created one.
    func customer(email: String) throws -> Customer?
    /// The customer with every order (captures, plan and instalments, shipments, returns, refunds, fees,
    /// merchant disputes, subscription) and the customer's incoming payments; nil for an unknown customer.
    func facts(customerId: String) throws -> LedgerFacts?

    /// Refunds what is left of a capture (all of it, or `amount` when given) as a new refund tied to the capture.
    func refundCapture(captureId: String, amount: Amount?, at: Timestamp, idempotencyKey: String) throws -> LedgerActionResult
    /// Pauses the order's open (pending and overdue) instalments until `until`, and records the pause on the order
    /// (an order without open instalments still has its collection paused).
    func pausePayments(orderId: String, until: Day, at: Timestamp, idempotencyKey: String) throws -> LedgerActionResult
    func waiveFee(feeId: String, at: Timestamp, idempotencyKey: String) throws -> LedgerActionResult
    /// Sets the customer's status to frozen (guardrail 6 then routes every ticket to fraud).
    func freezeAccount(customerId: String, at: Timestamp, idempotencyKey: String) throws -> LedgerActionResult
    /// Matches an unmatched incoming payment to an open instalment of equal amount and currency, which becomes paid.
    func applyPayment(paymentId: String, to instalment: InstalmentRef, at: Timestamp, idempotencyKey: String) throws -> LedgerActionResult
    /// Moves an open instalment's due date by `days`; granted once per instalment.
    func extendDueDate(of instalment: InstalmentRef, days: Int, at: Timestamp, idempotencyKey: String) throws -> LedgerActionResult
}

/// An instalment as lookup sees it: the order's plan and its number (plans have no id in the scenario format).
public struct InstalmentRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var orderId: String
    public var n: Int

    public init(orderId: String, n: Int) {
        self.orderId = orderId
        self.n = n
    }

    public var description: String { "\(orderId)#\(n)" }
}

/// The ledger actions (a subset of `ActionKind`: the others notify people, not the ledger).
public enum LedgerActionKind: String, Sendable, Codable, CaseIterable {
    case refundCapture = "refund_capture"
    case pausePayments = "pause_payments"
    case waiveFee = "waive_fee"
    case freezeAccount = "freeze_account"
    case applyPayment = "apply_payment"
    case extendDueDate = "extend_due_date"
}

/// What one ledger action did. A repeated call returns the first call's result with `.alreadyApplied`.
public struct LedgerActionResult: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case applied
        case alreadyApplied = "already_applied"
    }

    public var kind: LedgerActionKind
    public var idempotencyKey: String
    /// What the action acted on: a capture, order, fee or customer id, or `payment->order#n`, `order#n`.
    public var target: String
    public var outcome: Outcome
    /// Human-readable record of the change ("refund r… of 89.90 EUR", "paused 2 instalments until …").
    public var detail: String
    /// The money moved, for refunds and applied payments.
    public var amount: Money?
    public var appliedAt: Timestamp

    public init(kind: LedgerActionKind, idempotencyKey: String, target: String, outcome: Outcome, detail: String,
                amount: Money? = nil, appliedAt: Timestamp) {
        self.kind = kind
        self.idempotencyKey = idempotencyKey
        self.target = target
        self.outcome = outcome
        self.detail = detail
        self.amount = amount
        self.appliedAt = appliedAt
    }
}

public enum LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The target (capture, order, fee, customer, payment, instalment) does not exist.
    case notFound(String)
    /// The ledger is not in a state where the action applies; nothing was recorded.
    case notApplicable(String)
    /// The idempotency key was already used for another action or target.
    case keyReused(key: String, recorded: String)

    public var description: String {
        switch self {
        case .notFound(let what): "not found: \(what)"
        case .notApplicable(let why): "not applicable: \(why)"
        case .keyReused(let key, let recorded): "idempotency key \(key) was used for \(recorded)"
        }
    }
}
