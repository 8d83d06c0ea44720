import Foundation
import OmbudCore
@testable import OmbudLedger
import Testing

/// `ombudctl sample tickets`' generator: pure, no database.
@Suite("Sample tickets")
struct SampleTicketsTests {
    static let asOf = Day(parsing: "2026-11-20")!
    static let lines = SampleTickets.generateDetailed(seed: 1, customers: 2000, asOf: asOf, count: 240, malformed: 8)

    @Test("deterministic: two runs give identical lines; another seed gives others")
    func deterministic() {
        let again = SampleTickets.generate(seed: 1, customers: 2000, asOf: Self.asOf, count: 240, malformed: 8)
        #expect(again == Self.lines.map(\.line))
        #expect(again.count == 248)
        let other = SampleTickets.generate(seed: 2, customers: 2000, asOf: Self.asOf, count: 240, malformed: 8)
        #expect(other != again)
    }

    @Test("the shipped deploy/local/sample-tickets.jsonl is what the generator makes (regenerate it when this fails)")
    func shipped() throws {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { dir = dir.deletingLastPathComponent() }
        let text = try String(contentsOf: dir.appendingPathComponent("deploy/local/sample-tickets.jsonl"), encoding: .utf8)
        #expect(text == Self.lines.map(\.line).joined(separator: "\n") + "\n")
    }

    @Test("every intent appears at least 8 times; flags, languages, threads, order refs and secrets show up")
    func coverage() {
        let tickets = Self.lines.filter { $0.intent != nil }
        var perIntent: [String: Int] = [:]
        for line in tickets { perIntent[line.intent!, default: 0] += 1 }
        var perLanguage: [String: Int] = [:]
        for line in tickets { perLanguage[line.language ?? "-", default: 0] += 1 }
        print("sample tickets per intent: " + SampleTickets.intents.map { "\($0)=\(perIntent[$0, default: 0])" }.joined(separator: " "))
        print("sample tickets per language: " + perLanguage.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        print("sample tickets with flags: " + ["human_requested", "vulnerability", "formal_complaint", "legal_threat"].map { f in "\(f)=\(tickets.filter { $0.flags.contains(f) }.count)" }.joined(separator: " "))
        for intent in SampleTickets.intents { #expect(perIntent[intent, default: 0] >= 8, "\(intent): \(perIntent[intent, default: 0])") }
        #expect(Set(tickets.compactMap(\.language)).isSuperset(of: ["en", "de", "sv"]))
        #expect(Set(tickets.flatMap(\.flags)) == ["human_requested", "vulnerability", "formal_complaint", "legal_threat"])
        let threads = Dictionary(grouping: tickets.compactMap(\.threadId), by: { $0 }).filter { $0.value.count > 1 }
        #expect(threads.count >= 3, "follow-ups share a thread with an earlier ticket")
        let named = tickets.filter { t in t.orderRef != nil || (t.orderId.map { t.line.contains($0) } ?? false) }
        #expect(named.count * 100 / tickets.count >= 35 && named.count * 100 / tickets.count <= 65, "about half name the order: \(named.count)")
        #expect(tickets.contains { $0.line.contains("4111 1111 1111 1111") || $0.line.contains("5555") || $0.line.contains("4012888888881881") })
        #expect(tickets.contains { $0.line.contains("IBAN") })
        #expect(tickets.contains { $0.customerId == nil && $0.email != nil }, "some tickets identify the customer by e-mail only")
    }

    @Test("well-formed lines pass TicketValidation; malformed lines fail with the intended code, each a different problem")
    func validation() throws {
        var previous: Date?
        var externalIds: Set<String> = []
        let windowStart = Self.asOf.adding(days: -2).start.date, windowEnd = Self.asOf.adding(days: 1).start.date
        for line in Self.lines {
            let result = TicketValidation.validate(Array(line.line.utf8))
            if let code = line.rejection {
                guard case .failure(let rejection) = result else {
                    Issue.record("malformed line passed: \(line.problem ?? "") \(line.line.prefix(200))")
                    continue
                }
                #expect(rejection.code == code, "\(line.problem ?? ""): \(rejection)")
            } else {
                guard case .success(let ticket) = result else {
                    Issue.record("well-formed line rejected: \(result) \(line.line.prefix(300))")
                    continue
                }
                #expect(ticket.schema == MessageSchema.ticketV1)
                #expect(externalIds.insert(ticket.externalId).inserted, "external_id unique")
                #expect(ticket.receivedAt >= windowStart && ticket.receivedAt < windowEnd)
                if let previous { #expect(ticket.receivedAt > previous, "received_at increases") }
                previous = ticket.receivedAt
                #expect(["chat", "email", "app", "web"].contains(ticket.channel))
                if ticket.channel == "email" { #expect(ticket.subject != nil) }
            }
        }
        let problems = Self.lines.compactMap(\.problem)
        #expect(problems.count == 8 && Set(problems).count == 8)
    }

    @Test("customers and orders are the seeder's: ids exist, e-mails resolve, order_ref belongs to the customer")
    func ledger() {
        let rows = LedgerSeeder(seed: 1, customers: 2000, asOf: Self.asOf).rows(customers: 0..<2000, includeMerchants: true)
        let customers = Dictionary(uniqueKeysWithValues: rows.customers.map { ($0.id, $0) })
        let byEmail = Dictionary(rows.customers.compactMap { c in c.email.map { ($0, c.id) } }, uniquingKeysWith: { a, _ in a })
        let orderOwner = Dictionary(uniqueKeysWithValues: rows.orders.map { ($0.id, $0.customerId) })
        for line in Self.lines where line.rejection == nil {
            let owner: String?
            if let id = line.customerId {
                #expect(customers[id] != nil, "unknown customer \(id)")
                if let email = line.email { #expect(customers[id]?.email == email) }
                owner = id
            } else {
                owner = line.email.flatMap { byEmail[$0] }
                #expect(owner != nil, "unknown e-mail \(line.email ?? "-")")
            }
            if let ref = line.orderRef {
                #expect(orderOwner[ref] != nil, "unknown order \(ref)")
                #expect(orderOwner[ref] == owner, "order \(ref) is not \(owner ?? "-")'s")
            }
            if let order = line.orderId { #expect(orderOwner[order] == owner) }
        }
    }
}
