import Foundation
import OmbudCore
import OmbudLedger
import OmbudTestSupport
import Postgres
import Testing

/// Two resolve lanes acting on one order at the same moment (POLICY.md's item_not_received: open a merchant dispute and
/// act on the money): one open dispute, the money action once.
@Suite("Merchant disputes under racing lanes")
final class DisputeRaceTests {
    let database: PostgresConnection
    let ns: String
    let rounds = 25

    init() throws {
        database = try LedgerTestEnvironment.connect()
        ns = LedgerTestEnvironment.namespace("dispute")
        let facts = LedgerFacts(
            customer: Customer(id: "c1", name: "Anna Berg", email: "anna@example.com", locale: "sv-SE"),
            orders: (0..<rounds).map { n in
                Order(id: "o\(n)", merchant: "Nordic Shoes", total: "89.90", currency: "EUR", createdAt: ts("2026-10-01T10:00:00Z"),
                      captures: [Capture(id: "k\(n)", amount: "89.90", at: ts("2026-10-01T10:00:05Z"))])
            })
        try ScenarioLedgerLoader.load(facts, namespace: ns, database: database)
    }

    deinit {
        try? database.transaction { try LedgerSeeder.delete(prefix: ns, database: $0) }
        database.close()
    }

    @Test func twoLanesOpeningADisputeOnOneOrderOpenOneAndRefundOnce() throws {
        let lanes = try (0..<2).map { _ in try LedgerTestEnvironment.connect() }
        defer { lanes.forEach { $0.close() } }
        let at = ts("2026-11-20T12:00:00Z")
        var failures: [String] = []
        for round in 0..<rounds {
            let order = "\(ns)o\(round)", capture = "\(ns)k\(round)"
            let opened = Locked<[Bool]>([false, false])
            let errors = runTogether((0..<2).map { lane in
                { @Sendable in
                    let ledger = PostgresLedger(database: lanes[lane])
                    try lanes[lane].transaction { _ in
                        let didOpen = try ledger.openMerchantDispute(orderId: order, at: at)
                        opened.withLock { $0[lane] = didOpen }
                        _ = try ledger.refundCapture(captureId: capture, amount: nil, at: at, idempotencyKey: "\(order):refund")
                    }
                }
            })
            for case let error? in errors { failures.append("round \(round): \(error)") }
            let open = try database.query("SELECT count(*) FROM ledger.merchant_disputes WHERE order_id = $1 AND closed_at IS NULL",
                                          [.text(order)])[0].decode(Int.self, column: 0)
            let refunds = try database.query("SELECT count(*), coalesce(sum(amount), 0) FROM ledger.refunds WHERE capture_id = $1",
                                             [.text(capture)])[0]
            let openedBy = opened.withLock { $0.filter { $0 }.count }
            let refundCount = try refunds.decode(Int.self, column: 0), refunded = try refunds.decode(Decimal.self, column: 1)
            if open != 1 || openedBy != 1 || refundCount != 1 || refunded != Decimal(string: "89.90")! {
                failures.append("round \(round): \(open) open disputes, \(openedBy) lanes said they opened one, \(refundCount) refunds of \(refunded)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) problems in \(rounds) rounds:\n\(failures.prefix(5).joined(separator: "\n"))")
        // A dispute closed, another may open; a second open one the database refuses.
        let order = "\(ns)o0"
        try database.query("UPDATE ledger.merchant_disputes SET closed_at = opened_at + interval '1 day' WHERE order_id = $1", [.text(order)])
        #expect(try PostgresLedger(database: database).openMerchantDispute(orderId: order, at: at))
        #expect(try !PostgresLedger(database: database).openMerchantDispute(orderId: order, at: at))
        #expect(throws: PostgresError.self) {
            try database.query("INSERT INTO ledger.merchant_disputes (order_id, opened_at) VALUES ($1, now())", [.text(order)])
        }
    }
}
