import Foundation
import Testing
@testable import OmbudCore

@Suite struct PolicyConfigTests {
    @Test func defaultsAreThePolicyNumbers() {
        let c = PolicyConfig()
        #expect(c.lowConfidenceThreshold == 0.55)
        #expect(c.automaticLimit == "500.00")
        #expect(c.guardrailPauseDays == 30 && c.resolutionPauseDays == 21)
        #expect(c.dueDateExtensionDays == 10)
        #expect(c.repeatContactWindowDays == 14 && c.repeatContactThreshold == 3)
        #expect(c.duplicateCaptureWindowHours == 48)
        #expect(c.returnRefundWaitDays == 14 && c.noShipmentDays == 14)
        #expect(c.goodwillWindowMonths == 12)
        #expect(c.complaintFinalResponseBusinessDays == 15)
        #expect(c.slaHours == PolicyConfig.SLAHours(p1: 1, p2: 4, p3: 24))
    }

    @Test func fileWithOnlyVersionKeepsDefaults() throws {
        let c = try PolicyConfig.decode(Data(#"{"version": "2026-11-21"}"#.utf8))
        var expected = PolicyConfig()
        expected.version = "2026-11-21"
        #expect(c == expected)
    }

    @Test func overridesAreApplied() throws {
        let json = """
        {"version": "v2", "automatic_limit": "750.50", "automatic_limit_by_currency": {"SEK": "5000.00"},
         "low_confidence_threshold": 0.6, "complaint_final_response_business_days_by_market": {"SE": 10},
         "sla_hours": {"P2": 2}}
        """
        let c = try PolicyConfig.decode(Data(json.utf8))
        #expect(c.version == "v2")
        #expect(c.automaticLimit == "750.50")
        #expect(c.automaticLimit(currency: "sek") == "5000.00")
        #expect(c.automaticLimit(currency: "EUR") == "750.50")
        #expect(c.lowConfidenceThreshold == 0.6)
        #expect(c.complaintBusinessDays(market: "SE") == 10)
        #expect(c.complaintBusinessDays(market: "DE") == 15)
        #expect(c.slaHours == PolicyConfig.SLAHours(p1: 1, p2: 2, p3: 24))
    }

    @Test func unknownKeysAreRejectedClearly() {
        #expect(throws: PolicyConfigError.unknownKeys(["automatic_limt"], at: "")) {
            try PolicyConfig.decode(Data(#"{"version": "v", "automatic_limt": "900.00"}"#.utf8))
        }
        #expect(throws: PolicyConfigError.unknownKeys(["P4"], at: "sla_hours")) {
            try PolicyConfig.decode(Data(#"{"version": "v", "sla_hours": {"P4": 1}}"#.utf8))
        }
        let message = PolicyConfigError.unknownKeys(["automatic_limt"], at: "").description
        #expect(message.contains("automatic_limt"))
    }

    @Test func versionIsRequiredAndAmountsMustBeStrings() {
        #expect(throws: PolicyConfigError.self) { try PolicyConfig.decode(Data("{}".utf8)) }
        #expect(throws: PolicyConfigError.self) {
            try PolicyConfig.decode(Data(#"{"version": "v", "automatic_limit": 500.0}"#.utf8))
        }
    }

    @Test func loadsFromAFile() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ombud-policy-\(UUID().uuidString).json")
        try Data(#"{"version": "file-1", "resolution_pause_days": 28}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let c = try PolicyConfig.load(contentsOf: url)
        #expect(c.version == "file-1" && c.resolutionPauseDays == 28)
        let d = decide(makeInput(.refundNotReceived), config: c)
        #expect(d.actions.first?.days == 28)
        #expect(d.policyVersion == "file-1")
    }
}
