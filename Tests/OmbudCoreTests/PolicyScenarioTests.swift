import Foundation
import Testing
@testable import OmbudCore

/// Runs `scenarios/policy.jsonl` through the engine alone. The classifier and the lookup stage
/// live elsewhere, so this harness takes the intent and flags from `expect`, matches the order
/// simply (explicit `order_ref`, else the customer's only order), and treats the tickets of a
/// scenario as one case. Classifier-dependent inputs come from the scenario name: "low
/// confidence" means a confidence of 0.3, "help article" means a well-matching article, "another shop's"
/// means the text names a shop none of the customer's orders is from.
@Suite struct PolicyScenarioTests {
    static let scenarioFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios/policy.jsonl")

    static func loadScenarios() throws -> [Scenario] {
        let text = try String(contentsOf: scenarioFile, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .enumerated().map { index, line in
                do {
                    return try JSONDecoder().decode(Scenario.self, from: Data(line.utf8))
                } catch {
                    throw ScenarioError(line: index + 1, reason: String(describing: error))
                }
            }
    }

    struct ScenarioError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "scenarios/policy.jsonl line \(line): \(reason)" }
    }

    struct RunResult {
        var decisions: [Decision]
        var actionKinds: Set<ActionKind>
    }

    static func run(_ scenario: Scenario, caseId: String) -> RunResult {
        let engine = PolicyEngine()
        var decisions: [Decision] = []
        var executedKeys: Set<String> = []
        var executedKinds: Set<ActionKind> = []
        var contactTimes: [Timestamp] = []
        let confidence = scenario.name.contains("low confidence") ? 0.3 : 0.95
        let article = scenario.name.contains("help article") ? HelpArticleMatch(id: "article-1", score: 0.9) : nil
        for ticket in scenario.tickets {
            contactTimes.append(ticket.receivedAt)
            let orders = scenario.ledger.orders
            let match: OrderMatch
            if let ref = ticket.orderRef {
                match = .matched(orderId: ref)
            } else if scenario.name.contains("another shop's") {
                // The text names a shop that is none of the customer's: lookup finds no clear match (LookupStage).
                match = .none
            } else if orders.count == 1 {
                match = .matched(orderId: orders[0].id)
            } else if orders.isEmpty {
                match = .none
            } else {
                match = .ambiguous(candidates: orders.map(\.id))
            }
            let evidenceRequested = decisions.contains { $0.actions.contains { $0.kind == .requestEvidence } }
            let input = DecisionInput(
                caseId: caseId,
                classification: Classification(intent: scenario.expect.intent, confidence: confidence,
                                               flags: Set(scenario.expect.flags ?? [])),
                orderMatch: match,
                orderRequestsSent: decisions.filter { $0.rule == "matching.order_missing.ask_order" }.count,
                ledger: scenario.ledger,
                contactsInWindow: EscalationClock.contactsInWindow(contactTimes, now: ticket.receivedAt),
                evidenceArrived: evidenceRequested && !(ticket.attachments ?? []).isEmpty,
                helpArticle: article,
                now: ticket.receivedAt)
            let decision = engine.decide(input)
            // Executed once per idempotency key, however often a later ticket repeats it.
            for action in decision.actions where executedKeys.insert(action.idempotencyKey).inserted {
                executedKinds.insert(action.kind)
            }
            decisions.append(decision)
        }
        return RunResult(decisions: decisions, actionKinds: executedKinds)
    }

    static func mismatches(_ scenario: Scenario, _ result: RunResult) -> [String] {
        let expect = scenario.expect
        guard let last = result.decisions.last else { return ["no tickets"] }
        var problems: [String] = []
        if last.outcome != expect.outcome {
            problems.append("outcome \(last.outcome.rawValue) ≠ \(expect.outcome.rawValue) (rule \(last.rule))")
        }
        if result.actionKinds != Set(expect.actions) {
            problems.append("actions \(result.actionKinds.map(\.rawValue).sorted()) ≠ \(expect.actions.map(\.rawValue).sorted())")
        }
        if let team = expect.team, last.team != team {
            problems.append("team \(last.team?.rawValue ?? "none") ≠ \(team.rawValue) (rule \(last.rule))")
        }
        if let priority = expect.priority, last.priority != priority {
            problems.append("priority \(last.priority?.rawValue ?? "none") ≠ \(priority.rawValue)")
        }
        if let statuses = expect.statusAfter, statuses != result.decisions.map(\.outcome) {
            problems.append("status_after \(result.decisions.map(\.outcome.rawValue)) ≠ \(statuses.map(\.rawValue))")
        }
        if let language = expect.language {
            let replyLanguage = ReplyComposer.compose(last, languageTag: scenario.ledger.customer.locale).language
            if ReplyLanguage(tag: language) != replyLanguage {
                problems.append("language \(replyLanguage.rawValue) ≠ \(language)")
            }
        }
        if !ReplyComposer.hasTemplate(for: last) {
            problems.append("no reply template for \(last.rule)")
        }
        return problems
    }

    @Test func everyScenarioMeetsItsExpectation() throws {
        let scenarios = try Self.loadScenarios()
        var failures: [String] = []
        for (index, scenario) in scenarios.enumerated() {
            let result = Self.run(scenario, caseId: "scenario\(index + 1)")
            let problems = Self.mismatches(scenario, result)
            let rules = result.decisions.map(\.rule).joined(separator: " → ")
            print("\(problems.isEmpty ? "PASS" : "FAIL") \(index + 1) \(scenario.name) [\(rules)]")
            if !problems.isEmpty {
                failures.append("\(index + 1) \(scenario.name): " + problems.joined(separator: "; "))
            }
        }
        print("\(scenarios.count - failures.count) passed, \(failures.count) failed")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Coverage: at least one scenario per guardrail and per table row.
    @Test func scenariosCoverEveryGuardrailAndRow() throws {
        let scenarios = try Self.loadScenarios()
        let fired = Set(scenarios.enumerated().flatMap { index, scenario in
            Self.run(scenario, caseId: "coverage\(index)").decisions.map(\.rule)
        })
        let required = [
            "guardrail.unauthorized_purchase", "guardrail.vulnerability", "guardrail.formal_complaint",
            "guardrail.human_requested", "guardrail.low_confidence", "guardrail.account_restricted",
            "guardrail.above_automatic_limit", "guardrail.repeat_contact",
            "matching.order_missing.ask_order", "matching.order_missing.escalate",
            "resolution.duplicate_charge.refund_later_capture", "resolution.duplicate_charge.no_duplicate_found",
            "resolution.item_not_received.delivered", "resolution.item_not_received.merchant_dispute",
            "resolution.item_not_received.in_transit",
            "resolution.return_not_refunded.notify_merchant", "resolution.return_not_refunded.merchant_dispute",
            "resolution.refund_not_received.refund_recorded", "resolution.refund_not_received.notify_merchant",
            "resolution.faulty_or_not_as_described.request_evidence",
            "resolution.faulty_or_not_as_described.evidence_received",
            "resolution.incorrect_amount.refund_difference", "resolution.incorrect_amount.no_overcharge_found",
            "resolution.already_paid.apply_payment", "resolution.already_paid.ask_receipt",
            "resolution.subscription_cancelled.refund_capture",
            "resolution.subscription_cancelled.not_cancelled_before_capture",
            "resolution.fee_dispute.waive_paused_or_disputed", "resolution.fee_dispute.waive_goodwill",
            "resolution.fee_dispute.explain_fee",
            "resolution.payment_change.extend_due_date", "resolution.payment_change.not_eligible",
            "resolution.payment_declined.explain",
            "resolution.general_inquiry.answer", "resolution.general_inquiry.no_answer",
        ]
        let missing = required.filter { !fired.contains($0) }
        #expect(missing.isEmpty, "no scenario fires: \(missing.joined(separator: ", "))")
    }
}
