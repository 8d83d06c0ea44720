import Testing
@testable import OmbudCore

@Suite struct PolicyHandoffTests {
    @Test func summaryTellsTheWholeStory() throws {
        let order = sampleOrder(total: "620.00", captures: [
            Capture(id: "k1", amount: "620.00", at: ts("2026-11-01T10:00:05Z")),
            Capture(id: "k2", amount: "620.00", at: ts("2026-11-01T10:02:11Z")),
        ])
        let input = makeInput(.duplicateCharge, orders: [order])
        let decision = decide(input)
        let summary = try #require(HandoffSummary(decision: decision, input: input))
        #expect(summary.customerWants == "was charged twice for one purchase")
        #expect(summary.ledgerShows.contains { $0.contains("k2 620.00 EUR") })
        #expect(summary.recommended == ["refund_capture k2 620.00 EUR"])
        #expect(summary.reason.hasPrefix("guardrail.above_automatic_limit (amount_at_stake=620.00 EUR"))
        #expect(summary.team == .disputes && summary.priority == .p2)
        #expect(summary.text.contains("Already done: nothing"))
    }

    @Test func summaryListsActionsAlreadyTaken() throws {
        let first = decide(makeInput(.faultyOrNotAsDescribed))
        let input = makeInput(.faultyOrNotAsDescribed, contacts: 2, evidence: true)
        let summary = try #require(HandoffSummary(decision: decide(input), input: input, previousActions: first.actions))
        #expect(summary.actionsTaken == ["pause_payments o1 21 days", "request_evidence o1"])
    }

    @Test func noSummaryWithoutEscalation() {
        let input = makeInput(.paymentDeclined)
        #expect(HandoffSummary(decision: decide(input), input: input) == nil)
    }
}
