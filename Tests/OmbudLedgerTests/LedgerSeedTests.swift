import Foundation
import OmbudCore
import OmbudLedger
import Postgres
import Testing

@Suite("ombudctl seed's generator")
struct LedgerSeedTests {
    @Test("200 customers: same seed, same rows; another seed, other rows; a second run is a no-op; the facts read back")
    func deterministic() throws {
        let database = try LedgerTestEnvironment.connect()
        defer { database.close() }
        let base = LedgerTestEnvironment.namespace("seed")
        let prefixes = [base + "a-", base + "b-", base + "c-"]
        defer { for prefix in prefixes { try? database.transaction { try LedgerSeeder.delete(prefix: prefix, database: $0) } } }
        let asOf = day("2026-11-21")
        let first = try LedgerSeeder(seed: 7, customers: 200, asOf: asOf, prefix: prefixes[0]).run(database: database, chunk: 64)
        let second = try LedgerSeeder(seed: 7, customers: 200, asOf: asOf, prefix: prefixes[1]).run(database: database, chunk: 200)
        let other = try LedgerSeeder(seed: 8, customers: 200, asOf: asOf, prefix: prefixes[2]).run(database: database)
        #expect(first.inserted && second.inserted && other.inserted)
        #expect(first.checksum == second.checksum, "chunking must not change the data")
        #expect(first.checksum != other.checksum)
        #expect(first.rows > 200 * 5)
        let again = try LedgerSeeder(seed: 7, customers: 200, asOf: asOf, prefix: prefixes[0]).run(database: database)
        #expect(!again.inserted && again.checksum == first.checksum)
        #expect(try LedgerSeeder.checksum(prefix: prefixes[0], database: database) == first.checksum)

        // The mix: every market currency, every plan kind, every instalment and shipment status show up.
        func distinct(_ sql: String) throws -> Set<String> {
            Set(try database.query(sql, [.text(prefixes[0])]).map { try $0.decode(String.self, column: 0) })
        }
        #expect(try distinct("SELECT DISTINCT currency FROM ledger.orders WHERE left(id, length($1)) = $1") == ["EUR", "SEK", "NOK", "DKK"])
        #expect(try distinct("SELECT DISTINCT kind FROM ledger.payment_plans WHERE left(id, length($1)) = $1") == ["pay_in_3", "pay_in_4", "pay_later_30"])
        #expect(try distinct("SELECT DISTINCT status FROM ledger.instalments WHERE left(plan_id, length($1)) = $1").isSuperset(of: ["paid", "pending", "overdue"]))
        #expect(try distinct("SELECT DISTINCT status FROM ledger.shipments WHERE left(order_id, length($1)) = $1").isSuperset(of: ["delivered", "in_transit"]))
        #expect(try distinct("SELECT DISTINCT kind FROM ledger.fees WHERE left(id, length($1)) = $1") == ["late", "reminder"])
        #expect(try distinct("SELECT DISTINCT status FROM ledger.incoming_payments WHERE left(id, length($1)) = $1") == ["matched", "unmatched"])

        // Invariants over the whole run: every plan adds up to its order, refunds never exceed what was captured
        // for a capture, deliveries and registrations are not in the future.
        func count(_ sql: String) throws -> Int { try database.query(sql, [.text(prefixes[0])])[0].decode(Int.self, column: 0) }
        #expect(try count("""
            SELECT count(*) FROM ledger.orders o JOIN ledger.payment_plans p ON p.order_id = o.id
            WHERE left(o.id, length($1)) = $1
              AND o.total <> (SELECT sum(i.amount) FROM ledger.instalments i WHERE i.plan_id = p.id)
            """) == 0)
        #expect(try count("SELECT count(*) FROM ledger.orders WHERE left(id, length($1)) = $1 AND id NOT IN (SELECT order_id FROM ledger.payment_plans)") == 0)
        #expect(try count("""
            SELECT count(*) FROM ledger.refunds r JOIN ledger.captures c ON c.id = r.capture_id
            WHERE left(r.id, length($1)) = $1 AND r.amount > c.amount
            """) == 0)
        #expect(try count("SELECT count(*) FROM ledger.shipments WHERE left(order_id, length($1)) = $1 AND delivered_at >= '2026-11-21'") == 0)
        #expect(try count("SELECT count(*) FROM ledger.instalments WHERE left(plan_id, length($1)) = $1 AND status = 'overdue' AND due > '2026-11-21'") == 0)
        #expect(try count("SELECT count(*) FROM ledger.instalments WHERE left(plan_id, length($1)) = $1 AND status = 'pending' AND due <= '2026-11-21'") == 0)

        // Every customer's facts decode through the ledger (the rows satisfy the schema and the domain types).
        let ledger = PostgresLedger(database: database)
        var orders = 0
        let started = Date()
        for index in 0..<200 {
            let facts = try #require(try ledger.facts(customerId: prefixes[0] + "c" + String(format: "%06d", index)))
            #expect((1...6).contains(facts.orders.count))
            orders += facts.orders.count
            for order in facts.orders {
                let planned = order.installments.reduce(Amount.zero) { $0 + $1.amount }
                #expect(planned == order.total, "instalments add up to the order total")
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "facts of 200 seeded customers (%d orders) in %.3f s: %.0f customers/s", orders, seconds, 200 / seconds))
        #expect(orders >= 200)
    }
}
