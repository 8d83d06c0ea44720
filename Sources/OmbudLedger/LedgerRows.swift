import Foundation
import OmbudCore
import Postgres

/// Rows for the ledger tables, inserted set-based: one `INSERT … SELECT FROM unnest(…)` per table, whatever the
/// row count. The scenario loader and the seeder both build these, so each table's INSERT lives here only.
public struct LedgerRows: Sendable {
    public struct CustomerRow: Sendable { public var id, name: String; public var email, locale: String?; public var status: String; public var createdAt: Timestamp? }
    public struct MerchantRow: Sendable { public var id, name: String }
    public struct OrderRow: Sendable {
        public var id, customerId, merchantId: String; public var total: Decimal; public var currency: String; public var createdAt: Timestamp
        public var isSubscription: Bool; public var subscriptionCancelledAt: Timestamp?
    }
    public struct CaptureRow: Sendable { public var id, orderId: String; public var amount: Decimal; public var at: Timestamp }
    public struct RefundRow: Sendable { public var id, orderId: String; public var captureId: String?; public var amount: Decimal; public var at: Timestamp }
    public struct PlanRow: Sendable { public var id, orderId, kind: String }
    public struct InstalmentRow: Sendable {
        public var planId: String; public var n: Int; public var amount: Decimal; public var due: Day; public var status: String; public var pausedUntil: Day?
        public var extended: Bool; public var paidAt: Timestamp?
    }
    public struct ShipmentRow: Sendable {
        public var orderId: String; public var carrier, tracking: String?; public var status: String; public var expectedDelivery: Day?; public var deliveredAt: Timestamp?
    }
    public struct ReturnRow: Sendable { public var orderId: String; public var registeredAt: Timestamp; public var status: String; public var deliveredAt: Timestamp? }
    public struct FeeRow: Sendable {
        public var id, customerId: String; public var orderId: String?; public var kind: String; public var amount: Decimal; public var currency: String
        public var at: Timestamp; public var waived: Bool; public var waivedAt: Timestamp?
    }
    public struct PaymentRow: Sendable {
        public var id: String; public var customerId: String?; public var amount: Decimal; public var currency: String; public var reference: String?
        public var status: String; public var at: Timestamp; public var planId: String?; public var instalmentN: Int?
    }
    public struct DisputeRow: Sendable { public var orderId: String; public var openedAt: Timestamp; public var closedAt: Timestamp? }

    public var customers: [CustomerRow] = []
    public var merchants: [MerchantRow] = []
    public var orders: [OrderRow] = []
    public var captures: [CaptureRow] = []
    public var refunds: [RefundRow] = []
    public var plans: [PlanRow] = []
    public var instalments: [InstalmentRow] = []
    public var shipments: [ShipmentRow] = []
    public var returns: [ReturnRow] = []
    public var fees: [FeeRow] = []
    public var payments: [PaymentRow] = []
    public var disputes: [DisputeRow] = []

    public init() {}

    public var rowCount: Int {
        customers.count + merchants.count + orders.count + captures.count + refunds.count + plans.count + instalments.count
            + shipments.count + returns.count + fees.count + payments.count + disputes.count
    }

    /// Inserts every row, parents first (foreign keys). Merchants already present are kept (scenarios and seed
    /// runs share merchant rows within their namespace). Run it inside a transaction to get all or nothing.
    public func insert(into db: PostgresConnection) throws {
        try Self.bulk(db, "INSERT INTO ledger.merchants (id, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (id) DO NOTHING",
                      merchants.count, [merchants.map(\.id), merchants.map(\.name)])
        try Self.bulk(db, """
            INSERT INTO ledger.customers (id, name, email, locale, status, created_at)
            SELECT a, b, c, d, e, COALESCE(f, now())
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS u(a, b, c, d, e, f)
            """, customers.count, [customers.map(\.id), customers.map(\.name), customers.map(\.email), customers.map(\.locale),
                                   customers.map(\.status), customers.map { $0.createdAt?.sql }])
        try Self.bulk(db, """
            INSERT INTO ledger.orders (id, customer_id, merchant_id, total, currency, created_at, is_subscription, subscription_cancelled_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::text[], $6::timestamptz[], $7::boolean[], $8::timestamptz[])
            """, orders.count, [orders.map(\.id), orders.map(\.customerId), orders.map(\.merchantId), orders.map { $0.total.description },
                                orders.map(\.currency), orders.map { $0.createdAt.sql }, orders.map { $0.isSubscription.sql },
                                orders.map { $0.subscriptionCancelledAt?.sql }])
        try Self.bulk(db, """
            INSERT INTO ledger.captures (id, order_id, amount, at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::timestamptz[])
            """, captures.count, [captures.map(\.id), captures.map(\.orderId), captures.map { $0.amount.description }, captures.map { $0.at.sql }])
        try Self.bulk(db, """
            INSERT INTO ledger.refunds (id, order_id, capture_id, amount, at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::timestamptz[])
            """, refunds.count, [refunds.map(\.id), refunds.map(\.orderId), refunds.map(\.captureId), refunds.map { $0.amount.description },
                                 refunds.map { $0.at.sql }])
        try Self.bulk(db, "INSERT INTO ledger.payment_plans (id, order_id, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])",
                      plans.count, [plans.map(\.id), plans.map(\.orderId), plans.map(\.kind)])
        try Self.bulk(db, """
            INSERT INTO ledger.instalments (plan_id, n, amount, due, status, paused_until, extended, paid_at)
            SELECT * FROM unnest($1::text[], $2::smallint[], $3::numeric[], $4::date[], $5::text[], $6::date[], $7::boolean[], $8::timestamptz[])
            """, instalments.count, [instalments.map(\.planId), instalments.map { String($0.n) }, instalments.map { $0.amount.description },
                                     instalments.map { $0.due.sqlText }, instalments.map(\.status),
                                     instalments.map { $0.pausedUntil?.sqlText }, instalments.map { $0.extended.sql },
                                     instalments.map { $0.paidAt?.sql }])
        // Shipments, returns and disputes get identity ids in array order, so reading them back by id keeps the order.
        try Self.bulk(db, """
            INSERT INTO ledger.shipments (order_id, carrier, tracking, status, expected_delivery, delivered_at)
            SELECT a, b, c, d, e, f FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::timestamptz[]) WITH ORDINALITY AS s(a, b, c, d, e, f, k) ORDER BY k
            """, shipments.count, [shipments.map(\.orderId), shipments.map(\.carrier), shipments.map(\.tracking), shipments.map(\.status),
                              shipments.map { $0.expectedDelivery?.sqlText }, shipments.map { $0.deliveredAt?.sql }])
        try Self.bulk(db, """
            INSERT INTO ledger.returns (order_id, registered_at, status, delivered_at)
            SELECT a, b, c, d FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS r(a, b, c, d, k) ORDER BY k
            """, returns.count, [returns.map(\.orderId), returns.map { $0.registeredAt.sql }, returns.map(\.status), returns.map { $0.deliveredAt?.sql }])
        try Self.bulk(db, """
            INSERT INTO ledger.fees (id, customer_id, order_id, kind, amount, currency, at, waived, waived_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::timestamptz[], $8::boolean[], $9::timestamptz[])
            """, fees.count, [fees.map(\.id), fees.map(\.customerId), fees.map(\.orderId), fees.map(\.kind), fees.map { $0.amount.description },
                              fees.map(\.currency), fees.map { $0.at.sql }, fees.map { $0.waived.sql }, fees.map { $0.waivedAt?.sql }])
        try Self.bulk(db, """
            INSERT INTO ledger.incoming_payments (id, customer_id, amount, currency, reference, status, at, plan_id, instalment_n)
            SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::smallint[])
            """, payments.count, [payments.map(\.id), payments.map(\.customerId), payments.map { $0.amount.description }, payments.map(\.currency),
                                  payments.map(\.reference), payments.map(\.status), payments.map { $0.at.sql }, payments.map(\.planId),
                                  payments.map { $0.instalmentN.map(String.init) }])
        try Self.bulk(db, """
            INSERT INTO ledger.merchant_disputes (order_id, opened_at, closed_at)
            SELECT a, b, c FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS d(a, b, c, k) ORDER BY k
            """, disputes.count, [disputes.map(\.orderId), disputes.map { $0.openedAt.sql }, disputes.map { $0.closedAt?.sql }])
    }

    private static func bulk(_ db: PostgresConnection, _ sql: String, _ count: Int, _ columns: [[String?]]) throws {
        guard count > 0 else { return }
        try db.query(sql, columns.map { .textArray($0) })
    }
}

extension Timestamp {
    /// RFC 3339 text that casts to timestamptz exactly (microseconds).
    var sql: String { PostgresTimestampText.format(date) }
}

extension Day {
    /// `YYYY-MM-DD` without String(format:) (hot in the seeder).
    var sqlText: String {
        PostgresTimestampText.pad(year, 4) + "-" + PostgresTimestampText.pad(month, 2) + "-" + PostgresTimestampText.pad(day, 2)
    }
}

extension Bool {
    var sql: String { self ? "t" : "f" }
}

enum PostgresTimestampText {
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        let day = Day(daysSinceEpoch: Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
        let secondOfDay = Int(seconds - Int64(day.daysSinceEpoch) * 86_400)
        // Hand-padded: String(format:) dominated the seeder's time.
        return day.sqlText + " " + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "."
            + pad(Int(fraction), 6) + "+00"
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
