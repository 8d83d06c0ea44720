import Foundation
import OmbudCore
import OmbudLedger
import Postgres

/// Executes a decision's actions against the ledger, each exactly once: the ledger refuses a second change under
/// the same idempotency key (`ledger.applied_actions`), and `ombud.actions` records each key once with its result.
/// Actions that are messages to people (notify the merchant, ask for evidence) are recorded for the agent and the
/// merchant channel; `open_merchant_dispute` opens the dispute in the ledger.
struct ActionExecutor {
    let ledger: PostgresLedger
    let caseId: UUID
    let ticketId: UUID
    /// The ticket's `received_at`: the clock of the decision and of its actions.
    let now: Timestamp

    var db: PostgresConnection { ledger.database }

    struct Executed {
        var action: PlannedAction
        var status: String
        var result: String
        /// False when the case already had this action under its idempotency key (nothing new recorded).
        var recorded: Bool

        /// Whether the ledger changed: the customer's facts must be read again before deciding on them.
        var changedLedger: Bool { status == "executed" && action.kind.changesLedger }
    }

    func execute(_ actions: [PlannedAction]) throws -> [Executed] {
        try actions.map { action in
            let (status, result) = try perform(action)
            let recorded = try StageRecords.insertAction(action, caseId: caseId, ticketId: ticketId, status: status,
                                                         result: result, in: db)
            return Executed(action: action, status: status, result: result, recorded: recorded)
        }
    }

    private func perform(_ action: PlannedAction) throws -> (status: String, result: String) {
        let key = action.idempotencyKey
        do {
            let outcome: LedgerActionResult
            switch action.kind {
            case .refundCapture:
                outcome = try ledger.refundCapture(captureId: action.target, amount: action.amount?.amount, at: now,
                                                   idempotencyKey: key)
            case .pausePayments:
                outcome = try ledger.pausePayments(orderId: action.target,
                                                   until: Day(now).adding(days: action.days ?? 21), at: now,
                                                   idempotencyKey: key)
            case .waiveFee:
                outcome = try ledger.waiveFee(feeId: action.target, at: now, idempotencyKey: key)
            case .freezeAccount:
                outcome = try ledger.freezeAccount(customerId: action.target, at: now, idempotencyKey: key)
            case .applyPayment:
                guard let instalment = action.relatedTo.flatMap(Self.instalment) else {
                    return ("not_applicable", "no instalment named for payment \(action.target)")
                }
                outcome = try ledger.applyPayment(paymentId: action.target, to: instalment, at: now, idempotencyKey: key)
            case .extendDueDate:
                guard let instalment = Self.instalment(action.target) else {
                    return ("not_applicable", "\(action.target) does not name an instalment (order#n)")
                }
                outcome = try ledger.extendDueDate(of: instalment, days: action.days ?? 10, at: now, idempotencyKey: key)
            case .openMerchantDispute:
                return try openMerchantDispute(orderId: action.target)
            case .notifyMerchant:
                return ("recorded", "merchant of order \(action.target) to be notified")
            case .requestEvidence:
                return ("recorded", "photos or documents requested from the customer")
            }
            return (outcome.outcome == .applied ? "executed" : "already_applied", outcome.detail)
        } catch let error as LedgerError {
            // The ledger changed since lookup read it (or the target is gone): recorded, nothing done, the agent sees why.
            return ("not_applicable", error.description)
        }
    }

    /// Opens a dispute on the order unless one is already open (at most one is, whatever lanes race).
    private func openMerchantDispute(orderId: String) throws -> (String, String) {
        try ledger.openMerchantDispute(orderId: orderId, at: now) ? ("executed", "dispute opened on order \(orderId)")
            : ("already_applied", "a dispute on order \(orderId) is already open")
    }

    /// "order#n" → the instalment (order ids may themselves contain '#': the number is after the last one).
    static func instalment(_ text: String) -> InstalmentRef? {
        guard let hash = text.lastIndex(of: "#"), let n = Int(text[text.index(after: hash)...]) else { return nil }
        return InstalmentRef(orderId: String(text[..<hash]), n: n)
    }
}

extension ActionKind {
    /// Actions that change ledger rows; the others are messages to people, recorded only.
    var changesLedger: Bool {
        switch self {
        case .notifyMerchant, .requestEvidence: false
        case .refundCapture, .pausePayments, .waiveFee, .freezeAccount, .applyPayment, .extendDueDate, .openMerchantDispute: true
        }
    }
}
