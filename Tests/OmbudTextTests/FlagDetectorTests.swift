import Foundation
import Testing
@testable import OmbudText

@Suite struct FlagDetectorTests {
    func flags(_ text: String, _ language: String? = nil) -> Set<TicketFlag> {
        Set(FlagDetector.detect(text, language: language).map(\.flag))
    }

    @Test func rawValuesMatchThePolicy() {
        #expect(TicketFlag.allCases.map(\.rawValue) == ["human_requested", "vulnerability", "formal_complaint", "legal_threat"])
    }

    @Test(arguments: [
        ("I want to speak to a real person", TicketFlag.humanRequested),
        ("Please transfer me to a human agent", .humanRequested),
        ("Can someone call me back?", .humanRequested),
        ("Ich möchte mit einem Mitarbeiter sprechen", .humanRequested),
        ("Bitte um Rückruf", .humanRequested),
        ("Jag vill prata med en riktig människa", .humanRequested),
        ("Ring mig, tack", .humanRequested),
        ("I lost my job and can't pay", .vulnerability),
        ("My husband passed away", .vulnerability),
        ("I'm in hospital", .vulnerability),
        ("struggling with depression", .vulnerability),
        ("Ich bin arbeitslos", .vulnerability),
        ("Meine Mutter ist verstorben", .vulnerability),
        ("Jag har blivit uppsagd", .vulnerability),
        ("Jag är sjukskriven", .vulnerability),
        ("I will complain to the Financial Ombudsman", .formalComplaint),
        ("I have reported you to the FCA", .formalComplaint),
        ("Ich werde mich bei der BaFin beschweren", .formalComplaint),
        ("Jag anmäler er till ARN", .formalComplaint),
        ("Jag har kontaktat Finansinspektionen", .formalComplaint),
        ("I want to file a formal complaint", .formalComplaint),
        ("My lawyer will contact you", .legalThreat),
        ("If you don't refund me I will take legal action", .legalThreat),
        ("I am going to sue you", .legalThreat),
        ("Mein Anwalt meldet sich", .legalThreat),
        ("Ich werde Sie verklagen", .legalThreat),
        ("Jag kommer att stämma er", .legalThreat),
        ("Min advokat kontaktar er", .legalThreat),
    ])
    func positives(text: String, flag: TicketFlag) {
        #expect(flags(text).contains(flag), "\(text) → \(flags(text))")
    }

    @Test(arguments: [
        "The agent said the refund would take 5 days",
        "I spoke to a nice person last week",
        "No need to call me, email is fine",
        "I don't need to talk to anyone",
        "They call me every day about the payment",
        "Der Mitarbeiter hat gesagt, dass es erledigt ist",
        "Ni behöver inte ringa mig",
        "Handläggaren sa att pengarna kommer",
    ])
    func notHumanRequested(text: String) {
        #expect(!flags(text).contains(.humanRequested), "\(text)")
    }

    @Test(arguments: [
        "I don't need a lawyer to see this is wrong",
        "Not looking for legal action, just my money back",
        "The attorney general has rules about this",       // regulator, not a lawyer
        "I gave my son power of attorney",
        "Ich brauche keinen Anwalt",
        "Jag behöver ingen advokat",
        "Beloppet stämmer inte",                            // "is not right", not "sue"
        "Det stämmer att jag beställde",
        "My issue is the duplicate charge",                 // "issue" contains "sue"
        "The court shoes I ordered are the wrong colour",
    ])
    func notLegalThreat(text: String) {
        #expect(!flags(text).contains(.legalThreat), "\(text) → \(FlagDetector.detect(text))")
    }

    @Test(arguments: [
        "This is not a complaint, just a question",
        "Das ist keine Beschwerde",
        "Det här är inget klagomål",
        "Not complaining, just asking",
    ])
    func notFormalComplaint(text: String) {
        #expect(!flags(text).contains(.formalComplaint), "\(text)")
    }

    @Test(arguments: [
        "My phone died so I couldn't pay",
        "My card was disabled at checkout",
        "Ich habe das Abo gekündigt",                       // cancelled, not fired
        "Please postpone my payment by 10 days",
        "The shoes are sick but the wrong size",
        "I'm sick of waiting for my refund",
        "I am sick and tired of your reminders",
    ])
    func notVulnerability(text: String) {
        #expect(!flags(text).contains(.vulnerability), "\(text) → \(FlagDetector.detect(text))")
    }

    @Test func evidenceIsTheMatchedPhrase() throws {
        let f = try #require(FlagDetector.detect("Hello. I lost my job in May.").first)
        #expect(f.flag == .vulnerability)
        #expect(f.evidence == "lost my job")
        #expect(f.score > 0 && f.score <= 1)
    }

    @Test func severalFlagsAtOnce() {
        let text = "My mother died and you keep charging her. I have contacted a solicitor and will complain to the ombudsman. I want to speak to a manager."
        #expect(flags(text) == Set(TicketFlag.allCases))
    }

    /// The labelled file keeps working: recall on its Ombud-style tickets stays high.
    @Test func labelledTicketsRecall() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/flags/ombud_tickets.tsv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        var positives = 0, found = 0, falsePositives = 0
        for line in lines {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count == 6 else { continue }
            let detected = flags(String(cols[5]))
            for (i, flag) in TicketFlag.allCases.enumerated() {
                if cols[i] == "1" {
                    positives += 1
                    if detected.contains(flag) { found += 1 }
                } else if detected.contains(flag) {
                    falsePositives += 1
                }
            }
        }
        #expect(positives >= 60)
        #expect(Double(found) / Double(positives) >= 0.9)
        #expect(falsePositives <= 3)
    }
}
