import Foundation
import OmbudCore
import Postgres

/// A realistic synthetic ledger for `ombudctl seed`: deterministic in (seed, customers, as-of day). Each customer is
/// generated from its own random stream (seed, index), so chunking never changes the data.
public struct LedgerSeeder: Sendable {
    public var seed: UInt64
    public var customers: Int
    /// "Today" for the ledger: orders fall in the months before it, instalments before it are paid or overdue.
    public var asOf: Day
    /// Prefix of every id the run inserts; also the run's key in `ledger.seed_runs`.
    public var prefix: String

    public init(seed: UInt64, customers: Int, asOf: Day, prefix: String? = nil) {
        self.seed = seed
        self.customers = customers
        self.asOf = asOf
        self.prefix = prefix ?? "s\(seed)-"
    }

    public struct Report: Sendable {
        public var prefix: String
        public var customers: Int
        public var rows: Int
        public var checksum: String
        /// False when the prefix was already seeded and nothing was done.
        public var inserted: Bool
    }

    /// Inserts the ledger in one transaction, `chunk` customers per round of set-based INSERTs, and records the run.
    /// An existing run with the same prefix makes this a no-op, or with `replace` is deleted first.
    public func run(database: PostgresConnection, chunk: Int = 1000, replace: Bool = false,
                    progress: (Int) -> Void = { _ in }) throws -> Report {
        try database.transaction { db in
            // Serialises concurrent runs of the same prefix (the second then finds the first's row).
            try db.query("SELECT pg_advisory_xact_lock(hashtext('ombud-seed:' || $1))", [.text(prefix)])
            if let existing = try db.query("SELECT customers, checksum FROM ledger.seed_runs WHERE prefix = $1", [.text(prefix)]).first {
                if !replace {
                    return Report(prefix: prefix, customers: try existing.decode(Int.self, column: 0), rows: 0,
                                  checksum: try existing.decode(String.self, column: 1), inserted: false)
                }
                try Self.delete(prefix: prefix, database: db)
            }
            var rows = 0
            var start = 0
            while start < customers {
                let end = min(start + max(chunk, 1), customers)
                let batch = self.rows(customers: start..<end, includeMerchants: start == 0)
                try batch.insert(into: db)
                rows += batch.rowCount
                start = end
                progress(end)
            }
            let checksum = try Self.checksum(prefix: prefix, database: db)
            try db.query("INSERT INTO ledger.seed_runs (prefix, seed, customers, as_of, checksum) VALUES ($1, $2, $3, $4, $5)",
                         [.text(prefix), .int(Int64(bitPattern: seed)), .int(Int64(customers)), asOf.sql, .text(checksum)])
            return Report(prefix: prefix, customers: customers, rows: rows, checksum: checksum, inserted: true)
        }
    }

    /// An md5 over every row the prefix owns, with the prefix and generated identity ids left out, so two runs of one
    /// seed under different prefixes have the same checksum.
    public static func checksum(prefix: String, database: PostgresConnection) throws -> String {
        let owned = "left(%@, length($1)) = $1"
        func mine(_ column: String) -> String { owned.replacingOccurrences(of: "%@", with: column) }
        let parts = [
            "SELECT m.id, m.name FROM ledger.merchants m WHERE \(mine("m.id"))",
            "SELECT c.id, c.name, c.email, c.locale, c.status, c.created_at FROM ledger.customers c WHERE \(mine("c.id"))",
            "SELECT o.* FROM ledger.orders o WHERE \(mine("o.id"))",
            "SELECT k.* FROM ledger.captures k WHERE \(mine("k.id"))",
            "SELECT r.* FROM ledger.refunds r WHERE \(mine("r.id"))",
            "SELECT p.* FROM ledger.payment_plans p WHERE \(mine("p.id"))",
            "SELECT i.* FROM ledger.instalments i WHERE \(mine("i.plan_id"))",
            "SELECT s.order_id, s.carrier, s.tracking, s.status, s.expected_delivery, s.delivered_at FROM ledger.shipments s WHERE \(mine("s.order_id"))",
            "SELECT r.order_id, r.registered_at, r.status, r.delivered_at FROM ledger.returns r WHERE \(mine("r.order_id"))",
            "SELECT f.* FROM ledger.fees f WHERE \(mine("f.id"))",
            "SELECT p.* FROM ledger.incoming_payments p WHERE \(mine("p.id"))",
            "SELECT d.order_id, d.opened_at, d.closed_at FROM ledger.merchant_disputes d WHERE \(mine("d.order_id"))",
        ]
        // Rows rendered as text in UTC, sorted as text: independent of insertion order and the session's time zone.
        let sql = "SELECT md5(string_agg(t, E'\\n' ORDER BY t)) FROM ("
            + parts.enumerated().map { "SELECT '\($0.offset):' || replace(x::text, $1, '') AS t FROM (\($0.element)) x" }.joined(separator: " UNION ALL ")
            + ") all_rows"
        // Timestamps print in the session's time zone: pin it to UTC for this query only, then put it back.
        let body: (PostgresConnection) throws -> String = { db in
            let zone = try db.query("SELECT current_setting('TimeZone')")[0].decode(String.self, column: 0)
            try db.query("SELECT set_config('TimeZone', 'UTC', true)")
            let sum = try db.query(sql, [.text(prefix)])[0].decode(String?.self, column: 0) ?? "empty"
            try db.query("SELECT set_config('TimeZone', $1, true)", [.text(zone)])
            return sum
        }
        do {
            return try database.savepoint("ledger_checksum", body)
        } catch let error as PostgresError where error.sqlState == "25P01" {   // not in a transaction: use one
            return try database.transaction(body)
        }
    }

    /// Deletes every row whose id starts with `prefix` (children first), and the run's record.
    public static func delete(prefix: String, database db: PostgresConnection) throws {
        let statements = [
            "DELETE FROM ledger.applied_actions WHERE left(customer_id, length($1)) = $1",
            "DELETE FROM ledger.incoming_payments WHERE left(id, length($1)) = $1",
            "DELETE FROM ledger.fees WHERE left(id, length($1)) = $1",
            "DELETE FROM ledger.merchant_disputes WHERE left(order_id, length($1)) = $1",
            "DELETE FROM ledger.returns WHERE left(order_id, length($1)) = $1",
            "DELETE FROM ledger.shipments WHERE left(order_id, length($1)) = $1",
            "DELETE FROM ledger.refunds WHERE left(order_id, length($1)) = $1",
            "DELETE FROM ledger.instalments WHERE left(plan_id, length($1)) = $1",
            "DELETE FROM ledger.payment_plans WHERE left(order_id, length($1)) = $1",
            "DELETE FROM ledger.captures WHERE left(order_id, length($1)) = $1",
            "DELETE FROM ledger.orders WHERE left(id, length($1)) = $1",
            "DELETE FROM ledger.customers WHERE left(id, length($1)) = $1",
            "DELETE FROM ledger.merchants WHERE left(id, length($1)) = $1",
            "DELETE FROM ledger.seed_runs WHERE prefix = $1",
        ]
        for sql in statements { try db.query(sql, [.text(prefix)]) }
    }

    // MARK: Generation

    struct Market {
        var code, locale, currency, domain: String
        var weight: Int
        /// Multiplier from EUR-like prices to the local currency.
        var scale: Int
        var carriers: [String]
        var first: [String]
        var last: [String]
    }

    static let markets: [Market] = [
        Market(code: "SE", locale: "sv-SE", currency: "SEK", domain: "example.se", weight: 30, scale: 10,
               carriers: ["PostNord", "DHL", "Budbee", "Instabox", "Schenker"],
               first: ["Anna", "Elsa", "Erik", "Lars", "Maja", "Oskar", "Karin", "Johan", "Linnea", "Nils"],
               last: ["Berg", "Lind", "Johansson", "Andersson", "Nilsson", "Svensson", "Karlsson", "Holm", "Ek", "Sjöberg"]),
        Market(code: "NO", locale: "nb-NO", currency: "NOK", domain: "example.no", weight: 15, scale: 10,
               carriers: ["Posten", "Bring", "PostNord", "Helthjem"],
               first: ["Ingrid", "Ola", "Kari", "Sindre", "Marit", "Henrik", "Sigrid", "Magnus"],
               last: ["Hansen", "Olsen", "Larsen", "Berg", "Haugen", "Dahl", "Bakken", "Solberg"]),
        Market(code: "DK", locale: "da-DK", currency: "DKK", domain: "example.dk", weight: 12, scale: 7,
               carriers: ["PostNord", "GLS", "DAO", "Bring"],
               first: ["Mette", "Søren", "Freja", "Mads", "Ida", "Rasmus", "Sofie", "Jens"],
               last: ["Jensen", "Nielsen", "Hansen", "Pedersen", "Møller", "Kristensen", "Larsen", "Sørensen"]),
        Market(code: "FI", locale: "fi-FI", currency: "EUR", domain: "example.fi", weight: 10, scale: 1,
               carriers: ["Posti", "Matkahuolto", "DHL", "Budbee"],
               first: ["Aino", "Mikko", "Emilia", "Juha", "Sanna", "Ville", "Laura", "Antti"],
               last: ["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Laine", "Heikkinen", "Koskinen", "Järvinen"]),
        Market(code: "DE", locale: "de-DE", currency: "EUR", domain: "example.de", weight: 20, scale: 1,
               carriers: ["DHL", "Hermes", "DPD", "GLS", "UPS"],
               first: ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Max", "Hannah"],
               last: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch"]),
        Market(code: "NL", locale: "nl-NL", currency: "EUR", domain: "example.nl", weight: 8, scale: 1,
               carriers: ["PostNL", "DHL", "DPD"],
               first: ["Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Finn", "Sanne"],
               last: ["de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer"]),
        Market(code: "AT", locale: "de-AT", currency: "EUR", domain: "example.at", weight: 5, scale: 1,
               carriers: ["Österreichische Post", "DHL", "DPD"],
               first: ["Lena", "Tobias", "Katharina", "Florian", "Julia", "Stefan"],
               last: ["Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner"]),
    ]

    /// Merchants: (name, home market or nil for pan-European, subscription business, typical price in EUR).
    static let merchants: [(name: String, market: String?, subscription: Bool, price: ClosedRange<Int>)] = [
        ("Nordic Shoes", nil, false, 40...180), ("Zalando", nil, false, 20...250), ("Boozt", nil, false, 25...300),
        ("H&M", nil, false, 10...90), ("IKEA", nil, false, 15...900), ("TechHaus", nil, false, 30...1200),
        ("Jollyroom", nil, false, 15...400), ("Lego Shop", nil, false, 20...350), ("Apple Store", nil, false, 99...2000),
        ("StreamBox", nil, true, 8...20), ("FitClub Online", nil, true, 15...45), ("Readly", nil, true, 10...15),
        ("Elgiganten", "SE", false, 30...1500), ("Clas Ohlson", "SE", false, 8...200), ("Stadium", "SE", false, 20...300),
        ("Lindex", "SE", false, 10...80), ("Apotek Hjärtat", "SE", false, 5...60), ("Storytel", "SE", true, 16...25),
        ("Komplett", "NO", false, 30...1500), ("XXL Sport", "NO", false, 20...400), ("Power", "NO", false, 30...1200),
        ("Matas", "DK", false, 5...90), ("Magasin du Nord", "DK", false, 30...600), ("Proshop", "DK", false, 20...1400),
        ("Verkkokauppa", "FI", false, 20...1300), ("Stockmann", "FI", false, 20...500),
        ("MediaMarkt", "DE", false, 30...1500), ("Otto", "DE", false, 20...900), ("About You", "DE", false, 15...200),
        ("Bol.com", "NL", false, 10...500), ("Coolblue", "NL", false, 30...1500), ("Zooplus", nil, false, 15...120),
    ]

    struct RNG {
        var state: UInt64
        init(seed: UInt64, stream: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (stream &+ 0x632B_E59B_D9B4_E019) }
        // SplitMix64: tiny, fast and the same on every platform (SystemRandomNumberGenerator is not seedable).
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        /// True with probability `percent` per mille / 10 (permille for precision at small rates).
        mutating func chance(permille: Int) -> Bool { Int(next() % 1000) < permille }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    /// The rows of customers `range` (and the merchants, once).
    public func rows(customers range: Range<Int>, includeMerchants: Bool) -> LedgerRows {
        var rows = LedgerRows()
        if includeMerchants {
            for (i, merchant) in Self.merchants.enumerated() { rows.merchants.append(.init(id: merchantId(i), name: merchant.name)) }
        }
        for index in range { generate(customer: index, into: &rows) }
        return rows
    }

    func merchantId(_ i: Int) -> String { prefix + "m" + String(i) }

    private func generate(customer index: Int, into rows: inout LedgerRows) {
        var rng = RNG(seed: seed, stream: UInt64(index))
        let totalWeight = Self.markets.reduce(0) { $0 + $1.weight }
        var roll = rng.int(0...(totalWeight - 1))
        var market = Self.markets[0]
        for candidate in Self.markets { if roll < candidate.weight { market = candidate; break }; roll -= candidate.weight }
        let first = rng.pick(market.first), last = rng.pick(market.last)
        let customerId = prefix + "c" + Self.padded(index, 6)
        let asOfStart = asOf.start
        let status = rng.chance(permille: 6) ? "frozen" : rng.chance(permille: 3) ? "under_investigation" : "active"
        // Some addresses in mixed case, as customers type them: lookups must not care.
        let local = "\(first).\(last)".lowercased().replacingOccurrences(of: " ", with: "") + String(index)
        let email = (rng.chance(permille: 150) ? local.capitalized : local) + "@" + market.domain
        rows.customers.append(.init(id: customerId, name: "\(first) \(last)", email: email, locale: market.locale, status: status,
                                    createdAt: asOfStart.adding(days: -rng.int(200...900)).adding(seconds: TimeInterval(rng.int(0...86_399)))))
        let eligible = Self.merchants.indices.filter { Self.merchants[$0].market == nil || Self.merchants[$0].market == market.code }
        let shops = eligible.filter { !Self.merchants[$0].subscription }, services = eligible.filter { Self.merchants[$0].subscription }
        let orderCount = [1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6][rng.int(0...10)]
        var created = (0..<orderCount).map { _ in asOfStart.adding(seconds: -TimeInterval(rng.int(3600...(180 * 86_400)))) }
        created.sort()
        var openInstalments: [(amount: Decimal, currency: String)] = []
        for (o, createdAt) in created.enumerated() {
            // About one order in twenty is a subscription.
            let m = rng.chance(permille: 50) ? rng.pick(services) : rng.pick(shops)
            let merchant = Self.merchants[m]
            let orderId = prefix + "o" + Self.padded(index, 6) + "-" + String(o + 1)
            let cents = rng.int((merchant.price.lowerBound * 100)...(merchant.price.upperBound * 100)) * market.scale
            // Prices end like shop prices: whole, .90 or .99 (NOK/SEK/DKK mostly whole).
            let priceCents = market.scale > 1 ? (cents / 100) * 100 : (cents / 100) * 100 + [0, 90, 99, 50][rng.int(0...3)]
            let total = Decimal(priceCents) / 100
            let cancelledAt: Timestamp? = merchant.subscription && rng.chance(permille: 300)
                ? createdAt.adding(days: rng.int(5...40)) : nil
            rows.orders.append(.init(id: orderId, customerId: customerId, merchantId: merchantId(m), total: total, currency: market.currency,
                                     createdAt: createdAt, isSubscription: merchant.subscription,
                                     subscriptionCancelledAt: cancelledAt.flatMap { $0 < asOfStart ? $0 : nil }))
            // Plan and instalments: the first part of pay_in_N is taken at purchase.
            let kindRoll = rng.int(0...99)
            // Subscriptions are billed per period: pay later.
            let kind = merchant.subscription || kindRoll >= 75 ? "pay_later_30" : kindRoll < 45 ? "pay_in_3" : "pay_in_4"
            let parts = kind == "pay_in_3" ? 3 : kind == "pay_in_4" ? 4 : 1
            let planId = orderId + "/plan"
            rows.plans.append(.init(id: planId, orderId: orderId, kind: kind))
            let orderDay = Day(createdAt)
            var captureN = 0
            var firstCapture: (id: String, amount: Decimal, at: Timestamp)?
            for n in 1...parts {
                let share = priceCents / parts + (n == parts ? priceCents % parts : 0)
                let amount = Decimal(share) / 100
                let due = parts == 1 ? orderDay.adding(days: 30) : orderDay.adding(days: 30 * (n - 1))
                var status = "pending", paidAt: Timestamp?, pausedUntil: Day?
                if due <= asOf {
                    if n == 1 && parts > 1 || rng.chance(permille: 900) {
                        status = "paid"
                        paidAt = n == 1 && parts > 1 ? createdAt.adding(seconds: 5) : due.start.adding(hours: rng.int(-72...20))
                    } else {
                        status = "overdue"
                    }
                } else if rng.chance(permille: 8) {
                    status = "paused"
                    pausedUntil = asOf.adding(days: rng.int(7...30))
                }
                rows.instalments.append(.init(planId: planId, n: n, amount: amount, due: due, status: status, pausedUntil: pausedUntil,
                                              extended: rng.chance(permille: 10), paidAt: paidAt))
                if let paidAt {
                    captureN += 1
                    let captureId = prefix + "k" + Self.padded(index, 6) + "-" + String(o + 1) + "-" + String(captureN)
                    rows.captures.append(.init(id: captureId, orderId: orderId, amount: amount, at: paidAt))
                    // Some later instalments are paid by bank transfer: a matched incoming payment records it.
                    if n > 1 || parts == 1, rng.chance(permille: 200) {
                        rows.payments.append(.init(id: prefix + "pm" + Self.padded(index, 6) + "-" + String(o + 1) + "-" + String(n), customerId: customerId,
                                                   amount: amount, currency: market.currency, reference: "OCR " + String(rng.int(100_000...999_999)),
                                                   status: "matched", at: paidAt, planId: planId, instalmentN: n))
                    }
                    if firstCapture == nil { firstCapture = (captureId, amount, paidAt) }
                } else {
                    openInstalments.append((amount, market.currency))
                }
                if status == "overdue" {
                    // Reminder after 7 days, late fee after 14, in the order's currency.
                    let feeUnit = Decimal(market.scale == 1 ? 5 : market.scale * 6)
                    for (k, (kindName, after)) in [("reminder", 7), ("late", 14)].enumerated() where due.adding(days: after) <= asOf {
                        let waived = rng.chance(permille: 100)
                        let at = due.adding(days: after).start.adding(hours: 6)
                        rows.fees.append(.init(id: prefix + "f" + Self.padded(index, 6) + "-" + String(o + 1) + "-" + String(n) + "-" + String(k + 1),
                                               customerId: customerId, orderId: orderId, kind: kindName,
                                               amount: kindName == "late" ? feeUnit * 2 : feeUnit, currency: market.currency, at: at,
                                               waived: waived, waivedAt: waived ? at.adding(days: rng.int(1...10)) : nil))
                    }
                }
            }
            // A duplicate capture: the same amount again within minutes (a payment-provider retry); some already refunded.
            if let capture = firstCapture, rng.chance(permille: 20) {
                let duplicateId = capture.id + "-dup"
                let at = capture.at.adding(seconds: TimeInterval(rng.int(30...600)))
                rows.captures.append(.init(id: duplicateId, orderId: orderId, amount: capture.amount, at: at))
                if rng.chance(permille: 400) {
                    rows.refunds.append(.init(id: prefix + "r" + Self.padded(index, 6) + "-" + String(o + 1) + "-dup", orderId: orderId,
                                              captureId: duplicateId, amount: capture.amount, at: at.adding(days: rng.int(1...5))))
                }
            }
            guard !merchant.subscription else { continue }
            // Shipments by age: recent orders not shipped or in transit; older ones delivered, some late or lost.
            let ageDays = Int(createdAt.seconds(until: asOfStart) / 86_400)
            let carrier = rng.pick(market.carriers)
            let tracking = String(carrier.prefix(2)).uppercased() + String(rng.int(10_000_000...99_999_999))
            let expected = orderDay.adding(days: rng.int(2...6))
            let shipRoll = rng.int(0...999)
            var deliveredAt: Timestamp?
            if ageDays < 1 || shipRoll < 15 {
                rows.shipments.append(.init(orderId: orderId, carrier: nil, tracking: nil, status: "not_shipped", expectedDelivery: expected, deliveredAt: nil))
            } else if expected > asOf || shipRoll < 45 {
                rows.shipments.append(.init(orderId: orderId, carrier: carrier, tracking: tracking, status: "in_transit",
                                            expectedDelivery: expected, deliveredAt: nil))
            } else {
                let late = rng.chance(permille: 80) ? rng.int(1...6) : 0
                let at = expected.adding(days: late - rng.int(0...1)).start.adding(hours: rng.int(8...19))
                deliveredAt = at < asOfStart ? at : asOfStart.adding(hours: -1)
                rows.shipments.append(.init(orderId: orderId, carrier: carrier, tracking: tracking, status: "delivered",
                                            expectedDelivery: expected, deliveredAt: deliveredAt))
                if rng.chance(permille: 30) {   // a split delivery
                    rows.shipments.append(.init(orderId: orderId, carrier: carrier, tracking: tracking + "B", status: "delivered",
                                                expectedDelivery: expected, deliveredAt: deliveredAt.map { $0.adding(days: 1) < asOfStart ? $0.adding(days: 1) : $0 }))
                }
            }
            // Returns of delivered orders; most reach the merchant, most of those are refunded.
            if let deliveredAt, rng.chance(permille: 70) {
                let registered = deliveredAt.adding(days: rng.int(1...14))
                guard registered < asOfStart else { continue }
                let arrived = registered.adding(days: rng.int(2...6))
                if arrived < asOfStart && rng.chance(permille: 750) {
                    rows.returns.append(.init(orderId: orderId, registeredAt: registered, status: "delivered_to_merchant", deliveredAt: arrived))
                    let refundAt = arrived.adding(days: rng.int(1...20))
                    if refundAt < asOfStart && rng.chance(permille: 800) {
                        rows.refunds.append(.init(id: prefix + "r" + Self.padded(index, 6) + "-" + String(o + 1), orderId: orderId, captureId: nil,
                                                  amount: total, at: refundAt))
                    }
                } else {
                    rows.returns.append(.init(orderId: orderId, registeredAt: registered, status: "in_transit", deliveredAt: nil))
                }
            }
            if rng.chance(permille: 10) {
                let opened = createdAt.adding(days: rng.int(5...30))
                if opened < asOfStart {
                    let closed = opened.adding(days: rng.int(5...40))
                    rows.disputes.append(.init(orderId: orderId, openedAt: opened, closedAt: closed < asOfStart && rng.chance(permille: 500) ? closed : nil))
                }
            }
        }
        // Incoming payments: transfers that match an open instalment but were not booked ("already paid"), the odd
        // transfer nobody can place, and a payer that cannot be identified.
        if let open = openInstalments.first, rng.chance(permille: 80) {
            rows.payments.append(.init(id: prefix + "p" + Self.padded(index, 6) + "-1", customerId: customerId, amount: open.amount,
                                       currency: open.currency, reference: "OCR " + String(rng.int(100_000...999_999)), status: "unmatched",
                                       at: asOfStart.adding(seconds: -TimeInterval(rng.int(3600...(20 * 86_400)))), planId: nil, instalmentN: nil))
        }
        if rng.chance(permille: 15) {
            rows.payments.append(.init(id: prefix + "p" + Self.padded(index, 6) + "-2", customerId: rng.chance(permille: 500) ? customerId : nil,
                                       amount: Decimal(rng.int(500...50_000) * market.scale) / 100, currency: market.currency,
                                       reference: rng.chance(permille: 500) ? nil : "ref " + String(rng.int(1000...9999)), status: "unmatched",
                                       at: asOfStart.adding(seconds: -TimeInterval(rng.int(3600...(60 * 86_400)))), planId: nil, instalmentN: nil))
        }
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
