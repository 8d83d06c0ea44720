import Foundation
import OmbudCore

/// Realistic inbound `ombud.ticket.v1` lines about the synthetic ledger that `LedgerSeeder` (`ombudctl seed`) creates
/// with the same seed, customer count, as-of day and prefix: real customers, their real orders, merchants, amounts,
/// dates, carriers and tracking numbers, chosen so that the ledger makes each ticket's intent plausible. Pure and
/// deterministic: the same arguments always give the same lines (no clock, no database).
public enum SampleTickets {
    /// JSON lines, one ticket per line: `count` well-formed tickets with `malformed` bad inputs placed among them.
    public static func generate(seed: UInt64 = 1, customers: Int = 2000, asOf: Day, count: Int = 240, malformed: Int = 8,
                                prefix: String? = nil) -> [String] {
        generateDetailed(seed: seed, customers: customers, asOf: asOf, count: count, malformed: malformed, prefix: prefix).map(\.line)
    }

    /// The POLICY.md intents, in its order.
    static let intents = [
        "item_not_received", "return_not_refunded", "refund_not_received", "faulty_or_not_as_described", "incorrect_amount",
        "duplicate_charge", "already_paid", "subscription_cancelled", "fee_dispute", "unauthorized_purchase", "payment_change",
        "payment_declined", "financial_difficulty", "general_inquiry",
    ]
    static let needsOrder: Set<String> = [
        "item_not_received", "return_not_refunded", "refund_not_received", "faulty_or_not_as_described", "incorrect_amount",
        "duplicate_charge", "subscription_cancelled", "unauthorized_purchase",
    ]

    /// One generated line and what it was meant to be (for tests and reports).
    struct Line: Sendable {
        var line: String
        /// nil for a malformed line.
        var intent: String?
        var language: String?
        var flags: [String] = []
        var customerId: String?
        var email: String?
        var orderRef: String?
        /// The order the text is about (mentioned or not).
        var orderId: String?
        var threadId: String?
        /// For a malformed line: the code `TicketValidation` must reject it with.
        var rejection: TicketRejection.Code?
        var problem: String?
    }

    static func generateDetailed(seed: UInt64, customers: Int, asOf: Day, count: Int, malformed: Int,
                                 prefix: String? = nil) -> [Line] {
        var generator = Generator(seed: seed, customers: customers, asOf: asOf, prefix: prefix)
        return generator.run(count: max(count, 0), malformed: max(malformed, 0))
    }
}

// MARK: - The ledger facts the generator reads

struct SampleFacts {
    let rows: LedgerRows
    var merchantName: [String: String] = [:]
    var orders: [String: [LedgerRows.OrderRow]] = [:]
    var captures: [String: [LedgerRows.CaptureRow]] = [:]
    var shipments: [String: [LedgerRows.ShipmentRow]] = [:]
    var returns: [String: [LedgerRows.ReturnRow]] = [:]
    var refunds: [String: [LedgerRows.RefundRow]] = [:]
    var instalments: [String: [LedgerRows.InstalmentRow]] = [:]
    var fees: [String: [LedgerRows.FeeRow]] = [:]
    var payments: [String: [LedgerRows.PaymentRow]] = [:]
    var customerById: [String: LedgerRows.CustomerRow] = [:]

    init(_ rows: LedgerRows) {
        self.rows = rows
        for m in rows.merchants { merchantName[m.id] = m.name }
        for c in rows.customers { customerById[c.id] = c }
        for o in rows.orders { orders[o.customerId, default: []].append(o) }
        for k in rows.captures { captures[k.orderId, default: []].append(k) }
        for s in rows.shipments { shipments[s.orderId, default: []].append(s) }
        for r in rows.returns { returns[r.orderId, default: []].append(r) }
        for r in rows.refunds { refunds[r.orderId, default: []].append(r) }
        for i in rows.instalments { instalments[i.planId, default: []].append(i) }
        for f in rows.fees { fees[f.customerId, default: []].append(f) }
        for p in rows.payments { if let c = p.customerId { payments[c, default: []].append(p) } }
    }
}

/// A customer (and usually an order) whose ledger state fits an intent; `at` is when that state arose, so a ticket
/// about it is only written after it.
struct SampleCandidate {
    var customer: LedgerRows.CustomerRow
    var order: LedgerRows.OrderRow?
    var at: Timestamp
    var fee: LedgerRows.FeeRow?
    var payment: LedgerRows.PaymentRow?
    var instalment: LedgerRows.InstalmentRow?
}

struct Generator {
    typealias RNG = LedgerSeeder.RNG
    let seeder: LedgerSeeder
    let facts: SampleFacts
    var rng: RNG
    let asOf: Day
    var pools: [String: [SampleCandidate]] = [:]
    var used: Set<String> = []

    init(seed: UInt64, customers: Int, asOf: Day, prefix: String?) {
        seeder = LedgerSeeder(seed: seed, customers: customers, asOf: asOf, prefix: prefix)
        // A deterministic subset: the first customers (each customer's rows do not depend on the others).
        facts = SampleFacts(seeder.rows(customers: 0..<min(max(customers, 0), 4000), includeMerchants: true))
        rng = RNG(seed: seed, stream: 0x5A4D_504C_4554_4B54)
        self.asOf = asOf
        buildPools()
    }

    // MARK: Pools

    mutating func buildPools() {
        let f = facts
        let asOfStart = asOf.start
        for customer in f.rows.customers {
            let orders = f.orders[customer.id] ?? []
            for order in orders {
                let shipments = f.shipments[order.id] ?? []
                let captures = f.captures[order.id] ?? []
                let refunds = f.refunds[order.id] ?? []
                let returns = f.returns[order.id] ?? []
                let plan = f.instalments[order.id + "/plan"] ?? []
                func add(_ intent: String, _ at: Timestamp, instalment: LedgerRows.InstalmentRow? = nil) {
                    pools[intent, default: []].append(.init(customer: customer, order: order, at: at, instalment: instalment))
                }
                if !shipments.isEmpty, shipments.allSatisfy({ $0.status != "delivered" }) {
                    add("item_not_received", order.createdAt.adding(days: 1))
                }
                if let ret = returns.first, refunds.allSatisfy({ $0.captureId != nil }) {
                    add("return_not_refunded", (ret.deliveredAt ?? ret.registeredAt).adding(days: 2))
                }
                if let refund = refunds.first(where: { $0.captureId == nil }) { add("refund_not_received", refund.at.adding(days: 1)) }
                if let delivered = shipments.first(where: { $0.status == "delivered" })?.deliveredAt, returns.isEmpty,
                   delivered.seconds(until: asOfStart) < 45 * 86_400 {
                    add("faulty_or_not_as_described", delivered.adding(hours: 6))
                    add("incorrect_amount", delivered.adding(hours: 2))
                }
                if let dup = captures.first(where: { $0.id.hasSuffix("-dup") }) { add("duplicate_charge", dup.at.adding(hours: 3)) }
                if order.isSubscription {
                    if let cancelled = order.subscriptionCancelledAt { add("subscription_cancelled", cancelled.adding(days: 3)) }
                }
                if !order.isSubscription, order.createdAt.seconds(until: asOfStart) < 30 * 86_400 {
                    add("unauthorized_purchase", order.createdAt.adding(hours: 12))
                }
                if let next = plan.first(where: { $0.status == "pending" && $0.due > asOf.adding(days: 1) }) {
                    add("payment_change", order.createdAt.adding(days: 1), instalment: next)
                }
                if let overdue = plan.first(where: { $0.status == "overdue" }) {
                    add("financial_difficulty", overdue.due.start.adding(days: 2), instalment: overdue)
                }
            }
            for fee in f.fees[customer.id] ?? [] where !fee.waived {
                let order = orders.first { $0.id == fee.orderId }
                pools["fee_dispute", default: []].append(.init(customer: customer, order: order, at: fee.at.adding(hours: 4), fee: fee))
            }
            for payment in f.payments[customer.id] ?? [] where payment.status == "unmatched" {
                let unpaid = orders.lazy.compactMap { o in (f.instalments[o.id + "/plan"] ?? []).first { $0.amount == payment.amount && $0.status != "paid" }.map { (o, $0) } }.first
                pools["already_paid", default: []].append(.init(customer: customer, order: unpaid?.0, at: payment.at.adding(days: 2),
                                                                payment: payment, instalment: unpaid?.1))
            }
            let created = customer.createdAt ?? asOfStart.adding(days: -365)
            pools["payment_declined", default: []].append(.init(customer: customer, order: nil, at: created))
            pools["general_inquiry", default: []].append(.init(customer: customer, order: orders.last, at: orders.last?.createdAt ?? created))
        }
        // Subscriptions that were never cancelled still make a plausible claim (the policy escalates those).
        if (pools["subscription_cancelled"] ?? []).count < 20 {
            for customer in f.rows.customers {
                for order in f.orders[customer.id] ?? [] where order.isSubscription && order.subscriptionCancelledAt == nil {
                    pools["subscription_cancelled", default: []].append(.init(customer: customer, order: order, at: order.createdAt.adding(days: 20)))
                }
            }
        }
    }

    /// A candidate for `intent` whose state predates `time`, preferring customers not used yet; any order otherwise.
    mutating func candidate(for intent: String, before time: Timestamp) -> SampleCandidate {
        let eligible = (pools[intent] ?? []).filter { $0.at < time.adding(hours: -1) }
        var fresh = eligible.filter { !used.contains($0.customer.id) }
        if fresh.isEmpty { fresh = eligible }
        // Mostly customers who write in a language with full templates (sv, de): the rest of the markets write English.
        let native = fresh.filter { ($0.customer.locale ?? "").hasPrefix("sv") || ($0.customer.locale ?? "").hasPrefix("de") }
        if !native.isEmpty && rng.chance(permille: 650) { fresh = native }
        if let pick = pickOptional(fresh) {
            used.insert(pick.customer.id)
            return pick
        }
        // Fallback: any order placed before the ticket.
        var any: [SampleCandidate] = []
        for customer in facts.rows.customers.prefix(400) {
            for order in facts.orders[customer.id] ?? [] where order.createdAt < time.adding(days: -1) {
                any.append(.init(customer: customer, order: order, at: order.createdAt))
            }
        }
        if any.isEmpty {
            for customer in facts.rows.customers { for order in facts.orders[customer.id] ?? [] { any.append(.init(customer: customer, order: order, at: order.createdAt)) } }
        }
        let pick = rng.pick(any)
        used.insert(pick.customer.id)
        return pick
    }

    mutating func pickOptional<T>(_ items: [T]) -> T? { items.isEmpty ? nil : rng.pick(items) }

    // MARK: Run

    mutating func run(count: Int, malformed: Int) -> [SampleTickets.Line] {
        let total = count + malformed
        guard total > 0, !facts.rows.customers.isEmpty else { return [] }
        // Received times: sorted offsets within the 3 days that end at the end of the as-of day, strictly increasing.
        let windowStart = asOf.adding(days: -2).start
        var offsets = (0..<total).map { _ in rng.int(0...(3 * 86_400 - 1 - total)) }
        offsets.sort()
        let times = offsets.enumerated().map { windowStart.adding(seconds: TimeInterval($0.element + $0.offset)) }
        // Malformed lines spread evenly (with jitter) among the others.
        var malformedAt: Set<Int> = []
        for k in 0..<malformed {
            let slot = total * (2 * k + 1) / (2 * malformed)
            var position = min(total - 1, max(0, slot + rng.int(-2...2)))
            while malformedAt.contains(position) { position = (position + 1) % total }
            malformedAt.insert(position)
        }
        // Intents: round robin over the well-formed slots that are not follow-ups, in a shuffled order.
        let followUpEvery = 26
        var schedule: [String] = []
        let originals = (0..<count).filter { !($0 % followUpEvery == followUpEvery - 1) }.count
        while schedule.count < originals { schedule.append(contentsOf: SampleTickets.intents) }
        schedule = Array(schedule.prefix(originals))
        for i in stride(from: schedule.count - 1, to: 0, by: -1) { schedule.swapAt(i, rng.int(0...i)) }

        var out: [SampleTickets.Line] = []
        var tickets: [SampleTicket] = []
        var ticketLine: [Int] = []   // index in `out` of each ticket
        var wellFormed = 0, malformedKind = 0, scheduled = 0
        for position in 0..<total {
            let externalId = "sample-" + LedgerSeeder.padded(position + 1, 4)
            let time = times[position]
            if malformedAt.contains(position) {
                out.append(malformedLine(kind: malformedKind, externalId: externalId, time: time))
                malformedKind += 1
                continue
            }
            defer { wellFormed += 1 }
            if wellFormed % followUpEvery == followUpEvery - 1, let original = followUpOriginal(tickets, before: time) {
                var followUp = makeFollowUp(of: tickets[original], externalId: externalId, time: time)
                if tickets[original].threadId == nil { tickets[original].threadId = "thread-" + tickets[original].externalId }
                followUp.threadId = tickets[original].threadId
                out[ticketLine[original]] = tickets[original].line()
                tickets.append(followUp)
                ticketLine.append(out.count)
                out.append(followUp.line())
                continue
            }
            let intent = scheduled < schedule.count ? schedule[scheduled] : rng.pick(SampleTickets.intents)
            scheduled += 1
            let ticket = makeTicket(intent: intent, externalId: externalId, time: time)
            tickets.append(ticket)
            ticketLine.append(out.count)
            out.append(ticket.line())
        }
        return out
    }

    func followUpOriginal(_ tickets: [SampleTicket], before time: Timestamp) -> Int? {
        // The most recent ticket at least 12 hours old that is not itself a follow-up, in a language with follow-up templates.
        tickets.indices.reversed().first { tickets[$0].receivedAt < time.adding(hours: -12) && tickets[$0].followUpOf == nil
            && tickets[$0].threadId == nil && SampleTexts.followUps[tickets[$0].language] != nil && tickets[$0].channel != "web" }
    }
}

// MARK: - One ticket

struct SampleTicket {
    var channel: String
    var externalId: String
    var threadId: String?
    var customerId: String?
    var email: String?
    var locale: String?
    var subject: String?
    var body: String
    var orderRef: String?
    var receivedAt: Timestamp
    var attachments: [(name: String, type: String, size: Int)] = []
    // What it was meant to be.
    var intent: String
    var language: String
    var flags: [String]
    var orderId: String?
    var followUpOf: String?
    var tokens: [String: String] = [:]

    func json() -> String {
        var fields: [(String, JSONText)] = [("schema", .string(MessageSchema.ticketV1)), ("channel", .string(channel)),
                                            ("external_id", .string(externalId))]
        if let threadId { fields.append(("thread_id", .string(threadId))) }
        var customer: [(String, JSONText)] = []
        if let customerId { customer.append(("id", .string(customerId))) }
        if let email { customer.append(("email", .string(email))) }
        if let locale { customer.append(("locale", .string(locale))) }
        fields.append(("customer", .object(customer)))
        if let subject { fields.append(("subject", .string(subject))) }
        fields.append(("body", .string(body)))
        if let orderRef { fields.append(("order_ref", .string(orderRef))) }
        fields.append(("received_at", .string(RFC3339Timestamp.format(receivedAt.date))))
        if !attachments.isEmpty {
            fields.append(("attachments", .array(attachments.map {
                .object([("name", .string($0.name)), ("content_type", .string($0.type)), ("size", .number($0.size))])
            })))
        }
        return JSONText.object(fields).rendered
    }

    func line() -> SampleTickets.Line {
        SampleTickets.Line(line: json(), intent: intent, language: language, flags: flags, customerId: customerId, email: email,
                           orderRef: orderRef, orderId: orderId, threadId: threadId)
    }
}

/// A tiny ordered JSON writer: keys in the contract's order, bytes identical on every platform.
indirect enum JSONText {
    case string(String)
    case number(Int)
    case object([(String, JSONText)])
    case array([JSONText])
    case raw(String)

    var rendered: String {
        switch self {
        case .string(let s): return Self.quote(s)
        case .number(let n): return String(n)
        case .raw(let r): return r
        case .array(let items): return "[" + items.map(\.rendered).joined(separator: ", ") + "]"
        case .object(let fields): return "{" + fields.map { Self.quote($0.0) + ": " + $0.1.rendered }.joined(separator: ", ") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension Generator {
    static let nativeLanguages: [String: String] = ["sv": "sv", "de": "de", "nb": "nb", "da": "da", "fi": "fi", "nl": "nl"]

    mutating func chooseLanguage(locale: String, intent: String) -> String {
        let native = String(locale.prefix(2))
        switch native {
        case "sv", "de":
            return rng.chance(permille: 780) ? native : "en"
        default:
            if SampleTexts.bodies[native]?[intent] != nil, rng.chance(permille: 800) { return native }
            return "en"
        }
    }

    mutating func makeTicket(intent: String, externalId: String, time: Timestamp) -> SampleTicket {
        let candidate = self.candidate(for: intent, before: time)
        let customer = candidate.customer
        let locale = customer.locale ?? "en-GB"
        var language = chooseLanguage(locale: locale, intent: intent)
        var tokens = self.tokens(for: candidate, intent: intent, language: language, time: time)
        let channel = rng.pick(["chat", "chat", "email", "email", "email", "app", "web"])
        // The core text: a template whose tokens are all known (else an English one that fits).
        var templates = SampleTexts.usable(language, intent, tokens)
        if templates.isEmpty {
            language = "en"
            tokens = self.tokens(for: candidate, intent: intent, language: language, time: time)
            templates = SampleTexts.usable(language, intent, tokens)
        }
        var core = SampleTexts.fill(rng.pick(templates), tokens)
        let chatty = channel == "chat" || channel == "app"
        // Some people type in lower case only (the template, not the numbers pasted after it).
        if chatty && rng.chance(permille: 250) { core = core.lowercased() }
        // About half the tickets name the order: in `order_ref` or in the text.
        var orderRef: String?
        if let order = candidate.order {
            let mentionPermille = SampleTickets.needsOrder.contains(intent) ? 640 : 380
            if rng.chance(permille: mentionPermille) {
                if rng.chance(permille: 500) {
                    orderRef = order.id
                } else {
                    let phrase = rng.pick(SampleTexts.orderMention[language] ?? SampleTexts.orderMention["en"]!)
                    core += " " + phrase.replacingOccurrences(of: "{o}", with: order.id)
                }
            }
        }
        // A card number or IBAN now and then (redaction must catch it).
        if rng.chance(permille: ["payment_declined", "unauthorized_purchase", "already_paid", "refund_not_received"].contains(intent) ? 220 : 25) {
            let secret = rng.pick(SampleTexts.secrets(language: language, locale: locale))
            core += " " + secret
        }
        // Flags.
        var flags: [String] = []
        let flagPermille = intent == "financial_difficulty" ? 400 : 170
        if SampleTexts.flagSentences[language] != nil, rng.chance(permille: flagPermille) {
            let flag = intent == "financial_difficulty" ? "vulnerability"
                : rng.pick(["human_requested", "human_requested", "vulnerability", "formal_complaint", "legal_threat"])
            flags.append(flag)
            if rng.chance(permille: 200) {
                let second = rng.pick(["human_requested", "formal_complaint", "legal_threat"])
                if second != flag { flags.append(second) }
            }
            for flag in flags {
                let sentences = SampleTexts.flagSentences[language]?[flag] ?? SampleTexts.flagSentences["en"]![flag]!
                core += " " + rng.pick(sentences)
            }
        }
        // Chat is terse; e-mail has a greeting, a closing and a subject.
        let firstName = String(customer.name.split(separator: " ").first ?? "")
        tokens["n"] = firstName
        var body: String
        var subject: String?
        let frame = SampleTexts.frames[language] ?? SampleTexts.frames["en"]!
        if chatty {
            let greets = ["hi", "hej", "hallo", "hello", "hei"].contains { core.lowercased().hasPrefix($0 + ",") }
            if !greets && rng.chance(permille: 500) {
                let opener = rng.pick(frame.chatOpen)
                // "hi, my parcel …", not "hi, My parcel …" (but "Hej! Jag …").
                let continues = !(opener.hasSuffix("!") || opener.hasSuffix(".")) && !core.hasPrefix(tokens["m"] ?? "\u{0}")
                body = opener + " " + (continues ? core.prefix(1).lowercased() + core.dropFirst() : core)
            } else {
                body = core
            }
        } else {
            body = rng.pick(frame.greeting) + "\n\n" + core + "\n\n" + rng.pick(frame.closing) + "\n" + customer.name
        }
        if channel == "email" {
            let subjects = (SampleTexts.subjects[language]?[intent] ?? SampleTexts.subjects["en"]![intent]!)
                .filter { SampleTexts.tokensIn($0).allSatisfy { tokens[$0] != nil } }
            subject = SampleTexts.fill(rng.pick(subjects), tokens)
        }
        var attachments: [(name: String, type: String, size: Int)] = []
        if ["faulty_or_not_as_described", "return_not_refunded", "already_paid"].contains(intent) && rng.chance(permille: 350)
            || rng.chance(permille: 20) {
            switch intent {
            case "faulty_or_not_as_described":
                attachments.append(("IMG_" + String(rng.int(1000...9999)) + ".jpg", "image/jpeg", rng.int(180_000...3_900_000)))
                if rng.chance(permille: 400) { attachments.append(("IMG_" + String(rng.int(1000...9999)) + ".HEIC", "image/heic", rng.int(900_000...2_800_000))) }
            case "return_not_refunded":
                attachments.append(("return-receipt.pdf", "application/pdf", rng.int(40_000...240_000)))
            case "already_paid":
                attachments.append(("Screenshot " + String(RFC3339Timestamp.format(time.date).prefix(10)) + ".png", "image/png", rng.int(60_000...700_000)))
            default:
                attachments.append(("screenshot.png", "image/png", rng.int(60_000...700_000)))
            }
        }
        // Who: usually the ledger id, sometimes only the e-mail address (a web form or a mail from an unknown sender).
        let byEmail = (channel == "email" || channel == "web") && rng.chance(permille: 300)
        return SampleTicket(channel: channel, externalId: externalId, threadId: channel == "chat" && rng.chance(permille: 300) ? "conv-" + String(rng.int(100_000...999_999)) : nil,
                            customerId: byEmail ? nil : customer.id, email: byEmail ? customer.email : (rng.chance(permille: 200) ? customer.email : nil),
                            locale: rng.chance(permille: 900) ? locale : nil, subject: subject, body: body, orderRef: orderRef,
                            receivedAt: time, attachments: attachments, intent: intent, language: language, flags: flags,
                            orderId: candidate.order?.id, tokens: tokens)
    }

    mutating func makeFollowUp(of original: SampleTicket, externalId: String, time: Timestamp) -> SampleTicket {
        let templates = SampleTexts.followUps[original.language]!
            .filter { SampleTexts.tokensIn($0).allSatisfy { original.tokens[$0] != nil } }
        var body = SampleTexts.fill(rng.pick(templates), original.tokens)
        var flags: [String] = []
        if rng.chance(permille: 350) {
            flags.append("human_requested")
            body += " " + rng.pick(SampleTexts.flagSentences[original.language]!["human_requested"]!)
        }
        var ticket = original
        ticket.externalId = externalId
        ticket.body = body
        ticket.subject = original.subject.map { "Re: " + $0 }
        ticket.receivedAt = time
        ticket.attachments = []
        ticket.flags = flags
        ticket.followUpOf = original.externalId
        ticket.orderRef = original.orderRef
        return ticket
    }

    mutating func tokens(for candidate: SampleCandidate, intent: String, language: String, time: Timestamp) -> [String: String] {
        var t: [String: String] = [:]
        let style = rng.int(0...9)
        if let order = candidate.order {
            t["m"] = facts.merchantName[order.merchantId]
            t["a"] = SampleTexts.amount(order.total, order.currency, language, style: style)
            t["d"] = SampleTexts.date(Day(order.createdAt), language, style: style)
            let shipping: Decimal = order.currency == "EUR" ? Decimal(string: "4.90")! : 49
            t["x"] = SampleTexts.amount(order.total + shipping, order.currency, language, style: style)
            let discount = (order.total * 80 / 100)
            var rounded = Decimal(), exact = discount
            NSDecimalRound(&rounded, &exact, order.currency == "EUR" ? 2 : 0, .plain)
            t["y"] = SampleTexts.amount(rounded, order.currency, language, style: style)
            if let shipment = (facts.shipments[order.id] ?? []).first {
                if let carrier = shipment.carrier { t["c"] = carrier }
                if let tracking = shipment.tracking { t["t"] = tracking }
                if let expected = shipment.expectedDelivery { t["e"] = SampleTexts.date(expected, language, style: style) }
            }
            if let capture = (facts.captures[order.id] ?? []).first {
                t["k"] = SampleTexts.amount(capture.amount, order.currency, language, style: style)
            }
            if let refund = (facts.refunds[order.id] ?? []).first(where: { $0.captureId == nil }) {
                t["rd"] = SampleTexts.date(Day(refund.at), language, style: style)
            }
            if let ret = (facts.returns[order.id] ?? []).first {
                t["rs"] = SampleTexts.date(Day(ret.registeredAt), language, style: style)
            }
            if let cancelled = order.subscriptionCancelledAt { t["cd"] = SampleTexts.date(Day(cancelled), language, style: style) }
        }
        if let fee = candidate.fee {
            t["f"] = SampleTexts.amount(fee.amount, fee.currency, language, style: style)
            t["fd"] = SampleTexts.date(Day(fee.at), language, style: style)
        }
        if let payment = candidate.payment {
            t["p"] = SampleTexts.amount(payment.amount, payment.currency, language, style: style)
            t["pd"] = SampleTexts.date(Day(payment.at), language, style: style)
            if let reference = payment.reference { t["r"] = reference }
        }
        if let instalment = candidate.instalment, let order = candidate.order {
            t["i"] = SampleTexts.amount(instalment.amount, order.currency, language, style: style)
            t["du"] = SampleTexts.date(instalment.due, language, style: style)
        }
        if t["m"] == nil {
            // No order: a shop from the customer's market and a price, for "declined at checkout" and questions.
            let code = String((candidate.customer.locale ?? "sv-SE").suffix(2))
            let shops = LedgerSeeder.merchants.filter { !$0.subscription && ($0.market == nil || $0.market == code) }
            let shop = rng.pick(shops)
            let market = LedgerSeeder.markets.first { $0.code == code } ?? LedgerSeeder.markets[0]
            let price = Decimal(rng.int(shop.price) * market.scale) + (market.scale == 1 ? Decimal(string: "0.90")! : 0)
            t["m"] = shop.name
            t["a"] = SampleTexts.amount(price, market.currency, language, style: style)
        }
        return t
    }
}

// MARK: - Malformed lines

extension Generator {
    static let malformedKinds: [(problem: String, code: TicketRejection.Code)] = [
        ("not JSON (cut off mid-line)", .notJSON),
        ("no body", .missingField),
        ("customer has neither id nor email", .missingField),
        ("received_at is not a date", .badTimestamp),
        ("body over 16 KiB", .bodyTooLarge),
        ("wrong schema", .wrongSchema),
        ("nesting deeper than 16", .tooDeep),
        ("empty external_id", .emptyField),
        ("e-mail address without a domain", .badEmail),
        ("channel with a dot", .badChannel),
        ("a JSON array, not an object", .notAnObject),
        ("negative attachment size", .negativeSize),
        ("customer is a string", .wrongType),
        ("control character in the order reference", .controlCharacter),
    ]

    mutating func malformedLine(kind: Int, externalId: String, time: Timestamp) -> SampleTickets.Line {
        let (problem, code) = Self.malformedKinds[kind % Self.malformedKinds.count]
        let customer = rng.pick(Array(facts.rows.customers.prefix(500)))
        let localPart: String = customer.email.flatMap { $0.split(separator: "@").first.map(String.init) } ?? "anna"
        let when = RFC3339Timestamp.format(time.date)
        func ticket(_ fields: [(String, JSONText)]) -> String { JSONText.object(fields).rendered }
        let head: [(String, JSONText)] = [("schema", .string(MessageSchema.ticketV1)), ("channel", .string("email")),
                                          ("external_id", .string(externalId))]
        let who = JSONText.object([("id", .string(customer.id)), ("locale", .string(customer.locale ?? "en-GB"))])
        let text: String
        switch kind % Self.malformedKinds.count {
        case 0:
            let full = ticket(head + [("customer", who), ("body", .string("Hi, my parcel from Zalando never arrived and now I got a reminder")),
                                      ("received_at", .string(when))])
            text = String(full.prefix(full.count * 2 / 3))
        case 1:
            text = ticket(head + [("customer", who), ("subject", .string("Invoice")), ("received_at", .string(when))])
        case 2:
            text = ticket([("schema", .string(MessageSchema.ticketV1)), ("channel", .string("web")), ("external_id", .string(externalId)),
                           ("customer", .object([("locale", .string(customer.locale ?? "en-GB"))])),
                           ("body", .string("Why do I have two invoices for the same thing?")), ("received_at", .string(when))])
        case 3:
            text = ticket(head + [("customer", who), ("body", .string("Please call me back about my refund.")),
                                  ("received_at", .string("yesterday 14:30"))])
        case 4:
            let paste = String(repeating: "Please see the attached log of everything that happened with this order. ", count: 240)
            text = ticket(head + [("customer", who), ("body", .string("I am pasting the whole conversation below.\n\n" + paste)),
                                  ("received_at", .string(when))])
        case 5:
            text = ticket([("schema", .string("ombud.ticket.v2")), ("channel", .string("app")), ("external_id", .string(externalId)),
                           ("customer", who), ("body", .string("Where is my refund?")), ("received_at", .string(when))])
        case 6:
            var nested = JSONText.string("x")
            for _ in 0..<20 { nested = .array([nested]) }
            text = ticket(head + [("customer", who), ("body", .string("See attachment")), ("received_at", .string(when)),
                                  ("attachments", nested)])
        case 7:
            text = ticket([("schema", .string(MessageSchema.ticketV1)), ("channel", .string("chat")), ("external_id", .string("")),
                           ("customer", who), ("body", .string("hello?? anyone there")), ("received_at", .string(when))])
        case 8:
            text = ticket(head + [("customer", .object([("email", .string(localPart + "@gmail"))])),
                                  ("body", .string("I never ordered this, please check.")), ("received_at", .string(when))])
        case 9:
            text = ticket([("schema", .string(MessageSchema.ticketV1)), ("channel", .string("mail.web")), ("external_id", .string(externalId)),
                           ("customer", who), ("body", .string("My payment was declined twice today.")), ("received_at", .string(when))])
        case 10:
            text = "[" + ticket(head + [("customer", who), ("body", .string("Batch export")), ("received_at", .string(when))]) + "]"
        case 11:
            text = ticket(head + [("customer", who), ("body", .string("Photo of the broken lamp attached.")), ("received_at", .string(when)),
                                  ("attachments", .array([.object([("name", .string("lamp.jpg")), ("content_type", .string("image/jpeg")),
                                                                   ("size", .number(-1))])]))])
        case 12:
            text = ticket(head + [("customer", .string(customer.id)), ("body", .string("Where is my parcel?")), ("received_at", .string(when))])
        default:
            text = ticket(head + [("customer", who), ("body", .string("Order attached")), ("order_ref", .string("o-12\u{1B}[31m")),
                                  ("received_at", .string(when))])
        }
        return SampleTickets.Line(line: text, intent: nil, language: nil, customerId: nil, rejection: code, problem: problem)
    }
}
