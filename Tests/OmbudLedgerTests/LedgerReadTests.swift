import Foundation
import OmbudCore
import OmbudLedger
import Postgres
import Testing

@Suite("PostgresLedger reads and the scenario loader", .serialized)
struct LedgerReadTests {
    @Test("every scenario ledger loads and reads back equal, namespaced, also one order alone; a file loads twice without collisions")
    func scenarioRoundTrip() throws {
        let database = try LedgerTestEnvironment.connect()
        defer { database.close() }
        let ledger = PostgresLedger(database: database)
        let scenarios = try LedgerTestEnvironment.scenarios()
        #expect(scenarios.count >= 40)
        let run = LedgerTestEnvironment.namespace("scn")
        defer { try? database.transaction { try LedgerSeeder.delete(prefix: run, database: $0) } }
        var withOrders = 0
        var loadedCustomers: [String] = []
        for pass in 0..<2 {
            for (i, scenario) in scenarios.enumerated() {
                let ns = run + "\(pass).\(i):"
                let loaded = try ScenarioLedgerLoader.load(scenario.ledger, namespace: ns, database: database)
                let expected = scenario.ledger.namespaced(ns).canonical
                #expect(loaded.canonical == expected, "loader's view of \(scenario.name)")
                loadedCustomers.append(ns + scenario.ledger.customer.id)
                let read = try #require(try ledger.facts(customerId: ns + scenario.ledger.customer.id), "\(scenario.name)")
                #expect(read == expected, "\(scenario.name)")
                if read != expected {
                    Issue.record("read \(read)\nexpected \(expected)")
                }
                // Only the named orders, each read whole; the customer and payments as before.
                if let named = expected.orders.last {
                    var narrowed = expected
                    narrowed.orders = [named]
                    let only = try ledger.facts(customerIds: [ns + scenario.ledger.customer.id], onlyOrders: [named.id])
                    #expect(only[ns + scenario.ledger.customer.id] == narrowed, "\(scenario.name), only \(named.id)")
                    withOrders += expected.orders.count > 1 ? 1 : 0
                }
            }
        }
        #expect(withOrders > 0, "some scenario ledger has several orders, so the filter leaves one out")

        // Parts only for some customers: theirs read as before, the others' orders bare.
        let whole = try ledger.facts(customerIds: loadedCustomers, parts: .forMatching)
        let detailed = Set(loadedCustomers.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        let partly = try ledger.facts(customerIds: loadedCustomers, parts: .forMatching, detailFor: detailed)
        #expect(partly.count == whole.count)
        var bareWithParts = 0
        for customer in loadedCustomers {
            guard let full = whole[customer] else { continue }
            if detailed.contains(customer) {
                #expect(partly[customer] == full, "\(customer) read whole")
            } else {
                var bare = full
                bare.orders = full.orders.map { order in
                    var order = order
                    order.captures = []
                    order.plan = nil
                    return order
                }
                #expect(partly[customer] == bare, "\(customer) read bare")
                if bare != full { bareWithParts += 1 }
            }
        }
        #expect(bareWithParts > 0, "some customer left bare has captures or a plan, so leaving them out shows")
    }

    @Test("the loader fills payment currencies (the orders', else the market's) and keeps order-local ids apart")
    func loaderFills() throws {
        let withOrders = LedgerFacts(
            customer: Customer(id: "c1", locale: "da-DK"),
            orders: [Order(id: "o1", merchant: "Matas", total: "100.00", currency: "DKK", createdAt: ts("2026-11-01T10:00:00Z"),
                           captures: [Capture(id: "k1", amount: "100.00", at: ts("2026-11-01T10:00:00Z"))]),
                     Order(id: "o2", merchant: "matas", total: "50.00", currency: "DKK", createdAt: ts("2026-11-02T10:00:00Z"),
                           captures: [Capture(id: "k1", amount: "50.00", at: ts("2026-11-02T10:00:00Z"))])],
            payments: [IncomingPayment(id: "p1", amount: "50.00", status: .unmatched, at: ts("2026-11-03T10:00:00Z"))])
        let (rows, loaded) = ScenarioLedgerLoader.rows(for: withOrders, namespace: "x:")
        #expect(rows.payments.map(\.currency) == ["DKK"])
        #expect(loaded.orders.flatMap { $0.captures.map(\.id) } == ["x:o1/k1", "x:o2/k1"])
        #expect(rows.merchants.count == 2, "one merchant row per name as written, so names read back exactly")
        #expect(loaded.customer.name == nil)
        let noOrders = LedgerFacts(customer: Customer(id: "c2", locale: "nb-NO"),
                                   payments: [IncomingPayment(id: "p1", amount: "50.00", status: .unmatched, at: ts("2026-11-03T10:00:00Z"))])
        #expect(ScenarioLedgerLoader.rows(for: noOrders, namespace: "x:").0.payments.map(\.currency) == ["NOK"])

        let database = try LedgerTestEnvironment.connect()
        defer { database.close() }
        let ns = LedgerTestEnvironment.namespace("fill")
        defer { try? database.transaction { try LedgerSeeder.delete(prefix: ns, database: $0) } }
        try ScenarioLedgerLoader.load(withOrders, namespace: ns, database: database)
        let read = try #require(try PostgresLedger(database: database).facts(customerId: ns + "c1"))
        #expect(read == withOrders.namespaced(ns).canonical)
    }

    @Test("customer(email:) ignores case; customer(id:) and facts are nil for unknown ids")
    func emailLookup() throws {
        let database = try LedgerTestEnvironment.connect()
        defer { database.close() }
        let ledger = PostgresLedger(database: database)
        let ns = LedgerTestEnvironment.namespace("mail")
        defer { try? database.transaction { try LedgerSeeder.delete(prefix: ns, database: $0) } }
        let email = "Mixed.Case+\(ns.dropLast())@Example.COM"
        try ScenarioLedgerLoader.load(LedgerFacts(customer: Customer(id: "c1", name: "Mia Case", email: email, locale: "sv-SE")),
                                      namespace: ns, database: database)
        #expect(try ledger.customer(email: email.lowercased())?.id == ns + "c1")
        #expect(try ledger.customer(email: email.uppercased())?.id == ns + "c1")
        #expect(try ledger.customer(email: email)?.name == "Mia Case")
        #expect(try ledger.customer(email: "nobody-\(ns)@example.com") == nil)
        // A batch's e-mails in one query, keyed as given; unknown ones absent.
        let found = try ledger.customers(emails: [email.lowercased(), email.uppercased(), "nobody-\(ns)@example.com"])
        #expect(found.count == 2)
        #expect(found[email.lowercased()]?.id == ns + "c1" && found[email.uppercased()]?.id == ns + "c1")
        #expect(try ledger.customer(id: ns + "missing") == nil)
        #expect(try ledger.facts(customerId: ns + "missing") == nil)
        let facts = try #require(try ledger.facts(customerId: ns + "c1"))
        #expect(facts.orders.isEmpty && facts.payments.isEmpty)
    }
}
