import Foundation
import OmbudCore
import OmbudLedger
import OmbudRuntime
import OmbudTestSupport
import Postgres
import Testing

enum LedgerTestEnvironment {
    static let databaseURL = TestServices.databaseURL
    static let repositoryRoot = TestServices.repositoryRoot

    static func connect() throws -> PostgresConnection {
        try TestServices.migrate()
        return try PostgresConnection(databaseURL, applicationName: "ombud-ledger-tests")
    }

    /// A namespace no other test (or engineer) uses.
    static func namespace(_ tag: String) -> String { "t" + UUID().uuidString.prefix(8).lowercased() + "-" + tag + "-" }

    static func scenarios() throws -> [Scenario] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("scenarios/policy.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map {
            try JSONDecoder().decode(Scenario.self, from: Data($0.utf8))
        }
    }
}

func ts(_ text: String) -> Timestamp { Timestamp(parsing: text)! }
func day(_ text: String) -> Day { Day(parsing: text)! }

extension LedgerFacts {
    /// The scenario's facts as the ledger should hold them: every id prefixed, return registration filled in.
    /// Written independently of the loader so the test checks it.
    func namespaced(_ ns: String) -> LedgerFacts {
        var out = self
        out.customer.id = ns + customer.id
        // Ids that two orders share (order-local ids in the scenario) are scoped by their order.
        var seen: [String: Set<String>] = [:]
        for order in orders { for id in order.captures.map(\.id) + order.refunds.map(\.id) + order.fees.map(\.id) { seen[id, default: []].insert(order.id) } }
        func scoped(_ id: String, _ order: Order) -> String { (seen[id]?.count ?? 0) > 1 ? ns + order.id + "/" + id : ns + id }
        out.orders = orders.map { order in
            var o = order
            o.id = ns + order.id
            o.captures = order.captures.map { var c = $0; c.id = scoped($0.id, order); return c }
            o.refunds = order.refunds.map { var r = $0; r.id = scoped($0.id, order); r.captureId = $0.captureId.map { scoped($0, order) }; return r }
            o.fees = order.fees.map { var f = $0; f.id = scoped($0.id, order); return f }
            o.returns = order.returns.map { var r = $0; r.registeredAt = r.registeredAt ?? order.createdAt; return r }
            return o
        }
        out.payments = payments.map { var p = $0; p.id = ns + $0.id; return p }
        return out
    }

    /// Lists in the order `PostgresLedger.facts` returns them (orders by creation, money rows by time, then id).
    var canonical: LedgerFacts {
        var out = self
        out.orders = orders.map { order in
            var o = order
            o.captures.sort { ($0.at, $0.id) < ($1.at, $1.id) }
            o.refunds.sort { ($0.at, $0.id) < ($1.at, $1.id) }
            o.fees.sort { ($0.at, $0.id) < ($1.at, $1.id) }
            o.plan?.installments.sort { $0.n < $1.n }
            return o
        }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        out.payments.sort { ($0.at, $0.id) < ($1.at, $1.id) }
        return out
    }
}
