import Foundation
import OmbudCore
@testable import OmbudStages
import Testing

@Suite struct StageUnitTests {
    @Test func rowsOfOneCaseFoldInTheOrderTheCasesFirstAppear() {
        let a = UUID(), b = UUID()
        let rows: [(caseId: UUID, text: String)] = [(a, "a1"), (b, "b1"), (a, "a2"), (a, "a3")]
        let folded = CaseStore.perCase(rows, caseId: \.caseId) { earlier, later in (later.caseId, earlier.text + "+" + later.text) }
        #expect(folded.map(\.row.caseId) == [a, b])
        #expect(folded.map(\.row.text) == ["a1+a2+a3", "b1"])
        #expect(folded.map(\.tickets) == [3, 1])
    }

    @Test func instalmentReferencesParseTheNumberAfterTheLastHash() {
        #expect(ActionExecutor.instalment("o1#2") == .init(orderId: "o1", n: 2))
        #expect(ActionExecutor.instalment("ns#o1#3") == .init(orderId: "ns#o1", n: 3))
        #expect(ActionExecutor.instalment("o1") == nil)
        #expect(ActionExecutor.instalment("o1#x") == nil)
    }

    @Test func localesGiveTheirLanguage() {
        #expect(IntakeStage.languageOfLocale("de-DE") == "de")
        #expect(IntakeStage.languageOfLocale("sv_SE") == "sv")
        #expect(IntakeStage.languageOfLocale("") == nil)
    }

    /// The shipped policy file says what POLICY.md says, with a version the decisions record; it differs only in
    /// the per-currency automatic limits (issue 13, checked in PolicyConfigTests) and the notes explaining them.
    @Test func shippedPolicyFileIsPolicyMdWithAVersion() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("policy/policy.json")
        var shipped = try PolicyConfig.load(contentsOf: url)
        #expect(shipped.version != PolicyConfig().version)
        #expect(shipped.notes["automatic_limit_by_currency"] != nil)
        shipped.version = PolicyConfig().version
        shipped.automaticLimitByCurrency = [:]
        shipped.notes = [:]
        #expect(shipped == PolicyConfig())
    }

    /// Messages sharing a key go in later rounds, in their order; unrelated ones share the first.
    @Test func batchRoundsKeepMessagesAboutTheSameThingInOrder() {
        let rounds = BatchRounds.rounds(keys: [["case:a", "customer:x"], ["case:b", "customer:y"], ["case:c", "customer:x"],
                                               ["case:a", "customer:z"], ["case:d"], ["case:e", "customer:x"]])
        #expect(rounds == [[0, 1, 4], [2, 3], [5]])
        #expect(BatchRounds.rounds(keys: []) == [])
        #expect(BatchRounds.rounds(keys: [[], []]) == [[0, 1]])
    }
}
