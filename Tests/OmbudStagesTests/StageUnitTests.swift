import Foundation
import OmbudCore
@testable import OmbudStages
import Testing

@Suite struct StageUnitTests {
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

    /// The shipped policy file says what POLICY.md says, with a version the decisions record.
    @Test func shippedPolicyFileIsPolicyMdWithAVersion() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("policy/policy.json")
        var shipped = try PolicyConfig.load(contentsOf: url)
        #expect(shipped.version != PolicyConfig().version)
        shipped.version = PolicyConfig().version
        #expect(shipped == PolicyConfig())
    }
}
