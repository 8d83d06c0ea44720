import Foundation
import OmbudCore
import OmbudLedger
import Postgres
import Testing

/// Each money action applies once; a repeat with the same key changes nothing and says so.
@Suite("PostgresLedger actions are idempotent")
final class LedgerActionTests {
    let database: PostgresConnection
    let ledger: PostgresLedger
    let ns: String
    let at = ts("2026-11-20T12:00:00Z")

    init() throws {
        database = try LedgerTestEnvironment.connect()
        ledger = PostgresLedger(database: database)
        ns = LedgerTestEnvironment.namespace("act")
        let facts = LedgerFacts(
            customer: Customer(id: "c1", name: "Anna Berg", email: "anna@example.com", locale: "sv-SE"),
            orders: [Order(id: "o1", merchant: "Nordic Shoes", total: "89.90", currency: "EUR", createdAt: ts("2026-10-01T10:00:00Z"),
                           captures: [Capture(id: "k1", amount: "29.97", at: ts("2026-10-01T10:00:05Z")),
                                      Capture(id: "k2", amount: "29.97", at: ts("2026-10-01T10:02:11Z"))],
                           plan: PaymentPlan(kind: "pay_in_3", installments: [
                               Installment(n: 1, amount: "29.97", due: day("2026-10-01"), status: .paid),
                               Installment(n: 2, amount: "29.97", due: day("2026-11-01"), status: .overdue),
                               Installment(n: 3, amount: "29.96", due: day("2026-12-01"), status: .pending)]),
                           fees: [Fee(id: "f1", kind: .late, amount: "5.00", at: ts("2026-11-15T06:00:00Z"))]),
                     Order(id: "o2", merchant: "TechHaus", total: "120.00", currency: "EUR", createdAt: ts("2026-11-10T10:00:00Z"),
                           plan: PaymentPlan(kind: "pay_in_4", installments: [
                               Installment(n: 1, amount: "30.00", due: day("2026-11-10"), status: .paid),
                               Installment(n: 2, amount: "30.00", due: day("2026-12-10"), status: .pending)]))],
            payments: [IncomingPayment(id: "p1", amount: "29.97", reference: "OCR 1", status: .unmatched, at: ts("2026-11-02T09:00:00Z"))])
        try ScenarioLedgerLoader.load(facts, namespace: ns, database: database)
    }

    deinit {
        try? database.transaction { try LedgerSeeder.delete(prefix: ns, database: $0) }
        database.close()
    }

    func key(_ name: String) -> String { ns + name }

    func count(_ sql: String) throws -> Int { try database.query(sql, [.text(ns)])[0].decode(Int.self, column: 0) }

    func facts() throws -> LedgerFacts { try #require(try ledger.facts(customerId: ns + "c1")) }

    /// Runs `action` twice: applied, then already applied with the same result, one recorded row.
    func once(_ name: String, _ action: () throws -> LedgerActionResult) throws -> LedgerActionResult {
        let first = try action()
        let second = try action()
        #expect(first.outcome == .applied, "\(name)")
        #expect(second.outcome == .alreadyApplied, "\(name)")
        #expect(second.detail == first.detail && second.amount == first.amount && second.target == first.target, "\(name)")
        #expect(try ledger.recordedActions(idempotencyKey: first.idempotencyKey) == 1, "\(name)")
        return first
    }

    @Test func refundCapture() throws {
        let result = try once("refund") {
            try ledger.refundCapture(captureId: ns + "k2", amount: nil, at: at, idempotencyKey: key("refund"))
        }
        #expect(result.amount == Money("29.97", "EUR"))
        #expect(try count("SELECT count(*) FROM ledger.refunds WHERE capture_id = $1 || 'k2'") == 1)
        #expect(try facts().orders[0].refunds.map(\.captureId) == [ns + "k2"])
        // Fully refunded now: another key is refused and records nothing.
        #expect(throws: LedgerError.self) {
            try self.ledger.refundCapture(captureId: self.ns + "k2", amount: nil, at: self.at, idempotencyKey: self.key("refund-again"))
        }
        #expect(try ledger.recordedActions(idempotencyKey: key("refund-again")) == 0)
        // A partial refund of the other capture, within what is left.
        let partial = try ledger.refundCapture(captureId: ns + "k1", amount: "10.00", at: at, idempotencyKey: key("partial"))
        #expect(partial.amount == Money("10.00", "EUR"))
        #expect(throws: LedgerError.self) {
            try self.ledger.refundCapture(captureId: self.ns + "k1", amount: "20.00", at: self.at, idempotencyKey: self.key("too-much"))
        }
        #expect(throws: LedgerError.self) {
            try self.ledger.refundCapture(captureId: self.ns + "k1", amount: "1.005", at: self.at, idempotencyKey: self.key("sub-cent"))
        }
    }

    @Test func pausePayments() throws {
        _ = try once("pause") { try ledger.pausePayments(orderId: ns + "o1", until: day("2026-12-20"), at: at, idempotencyKey: key("pause")) }
        let instalments = try facts().orders[0].installments
        #expect(instalments.map(\.status) == [.paid, .paused, .paused])
        #expect(instalments.compactMap(\.pausedUntil) == [day("2026-12-20"), day("2026-12-20")])
        #expect(try count("SELECT count(*) FROM ledger.instalments WHERE plan_id = $1 || 'o1/plan' AND status = 'paused'") == 2)
    }

    @Test func waiveFee() throws {
        _ = try once("waive") { try ledger.waiveFee(feeId: ns + "f1", at: at, idempotencyKey: key("waive")) }
        let fee = try facts().orders[0].fees[0]
        #expect(fee.waived && fee.waivedAt == at)
        #expect(throws: LedgerError.self) { try self.ledger.waiveFee(feeId: self.ns + "f1", at: self.at, idempotencyKey: self.key("waive2")) }
    }

    @Test func freezeAccount() throws {
        _ = try once("freeze") { try ledger.freezeAccount(customerId: ns + "c1", at: at, idempotencyKey: key("freeze")) }
        #expect(try facts().customer.status == .frozen)
        #expect(try count("SELECT count(*) FROM ledger.applied_actions WHERE customer_id = $1 || 'c1' AND kind = 'freeze_account'") == 1)
    }

    @Test func applyPayment() throws {
        let target = InstalmentRef(orderId: ns + "o1", n: 2)
        let result = try once("apply") { try ledger.applyPayment(paymentId: ns + "p1", to: target, at: at, idempotencyKey: key("apply")) }
        #expect(result.amount == Money("29.97", "EUR"))
        let after = try facts()
        #expect(after.orders[0].installments[1].status == .paid)
        #expect(after.payments[0].status == .matched)
        #expect(try count("SELECT count(*) FROM ledger.incoming_payments WHERE id = $1 || 'p1' AND plan_id = $1 || 'o1/plan' AND instalment_n = 2") == 1)
        // The amount must match: the 30.00 instalment of o2 cannot take another 29.97 payment (and p1 is matched anyway).
        #expect(throws: LedgerError.self) {
            try self.ledger.applyPayment(paymentId: self.ns + "p1", to: InstalmentRef(orderId: self.ns + "o2", n: 2), at: self.at,
                                         idempotencyKey: self.key("apply2"))
        }
    }

    @Test func extendDueDate() throws {
        let target = InstalmentRef(orderId: ns + "o1", n: 2)
        _ = try once("extend") { try ledger.extendDueDate(of: target, days: 30, at: at, idempotencyKey: key("extend")) }
        let instalment = try facts().orders[0].installments[1]
        // 2026-11-01 + 30 days is after `at`: the overdue instalment is pending again.
        #expect(instalment.due == day("2026-12-01") && instalment.extended && instalment.status == .pending)
        #expect(throws: LedgerError.self) {
            try self.ledger.extendDueDate(of: target, days: 30, at: self.at, idempotencyKey: self.key("extend2"))
        }
    }

    @Test("a key reused for another action or target is refused")
    func keyReuse() throws {
        _ = try ledger.freezeAccount(customerId: ns + "c1", at: at, idempotencyKey: key("k"))
        #expect(throws: LedgerError.self) { try self.ledger.waiveFee(feeId: self.ns + "f1", at: self.at, idempotencyKey: self.key("k")) }
        #expect(try facts().orders[0].fees[0].waived == false)
    }

    @Test("two connections racing on one key: one applies, the other waits for it and reports it already applied")
    func concurrentSameKey() throws {
        let other = try LedgerTestEnvironment.connect()
        defer { other.close() }
        let racingKey = key("race"), fee = ns + "f1", when = at
        let started = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var second: Result<LedgerActionResult, any Error>?
        let first = try database.transaction { _ in
            let result = try ledger.waiveFee(feeId: fee, at: when, idempotencyKey: racingKey)
            // While this transaction holds the key, the other connection's call must block on it.
            let thread = Thread {
                started.signal()
                second = Result { try PostgresLedger(database: other).waiveFee(feeId: fee, at: when, idempotencyKey: racingKey) }
                finished.signal()   // orders the write to `second` before the read below
            }
            thread.start()
            started.wait()
            Thread.sleep(forTimeInterval: 0.3)
            return result
        }
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(first.outcome == .applied)
        #expect(try second?.get().outcome == .alreadyApplied)
        #expect(try ledger.recordedActions(idempotencyKey: racingKey) == 1)
    }

    @Test("inside the caller's transaction the action commits or rolls back with it")
    func callerTransaction() throws {
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try self.database.transaction { _ in
                _ = try self.ledger.waiveFee(feeId: self.ns + "f1", at: self.at, idempotencyKey: self.key("tx"))
                throw Abort()
            }
        }
        #expect(try ledger.recordedActions(idempotencyKey: key("tx")) == 0)
        #expect(try facts().orders[0].fees[0].waived == false)
        // A refused action inside a transaction leaves it usable (savepoint).
        let result = try database.transaction { _ in
            #expect(throws: LedgerError.self) {
                try self.ledger.pausePayments(orderId: self.ns + "nope", until: day("2026-12-01"), at: self.at, idempotencyKey: self.key("bad"))
            }
            return try self.ledger.waiveFee(feeId: self.ns + "f1", at: self.at, idempotencyKey: self.key("tx"))
        }
        #expect(result.outcome == .applied)
        #expect(try facts().orders[0].fees[0].waived)
    }
}
