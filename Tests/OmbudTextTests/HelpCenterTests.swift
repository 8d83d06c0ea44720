import Testing
@testable import OmbudText

@Suite struct HelpCenterTests {
    static let help: HelpCenter = try! HelpCenter.bundled()

    @Test func bundledArticlesLoadInEveryLanguage() throws {
        let help = try HelpCenter.bundled()
        #expect(help.articles.count >= 20)
        #expect(Set(help.articles.map(\.id)).count == help.articles.count)
        for article in help.articles {
            for language in ["en", "de", "sv"] {
                #expect(!(article.title[language] ?? "").isEmpty, "\(article.id) lacks a \(language) title")
                #expect(!(article.body[language] ?? "").isEmpty, "\(article.id) lacks a \(language) body")
            }
        }
    }

    /// POLICY.md scenario 43: a Swedish how-to question is answered by the e-mail article.
    @Test func scenario43ChangeEmailInSwedishMatches() throws {
        let hit = try #require(Self.help.bestMatch("Hur ändrar jag min e-postadress i appen?", language: "sv"))
        #expect(hit.id == "change-email")
        #expect(hit.isGoodMatch, "score \(hit.score)")
        #expect(hit.language == "sv")
        #expect(hit.text.contains("e-postadress"))
    }

    /// POLICY.md scenario 44: a sponsorship request has no article.
    @Test func scenario44SponsorshipDoesNotMatch() {
        let hit = Self.help.bestMatch("Do you sponsor local football clubs? We are looking for partners for next season.", language: "en")
        #expect(hit.map { $0.score < HelpCenter.goodMatchThreshold } ?? true, "\(String(describing: hit))")
    }

    @Test(arguments: [
        ("How can I change the email on my account?", "en", "change-email"),
        ("I got a new mobile number, how do I update it?", "en", "change-phone"),
        ("where do i download the receipt for my purchase", "en", "download-invoice"),
        ("Can I pay off everything early?", "en", "pay-early"),
        ("how do i delete my account", "en", "delete-account"),
        ("Wie funktioniert die Ratenzahlung in 3 Raten?", "de", "pay-in-3"),
        ("Ich kann mich nicht in der App anmelden, der Code kommt nicht", "de", "login-problems"),
        ("Wie kann ich die Sprache der App ändern?", "de", "change-language"),
        ("Wie aktualisiere ich meine Karte?", "de", "update-card"),
        ("Hur byter jag kort i appen?", "sv", "update-card"),
        ("Gör ni en kreditupplysning när jag handlar?", "sv", "credit-check"),
        ("Var hittar jag mina kvitton och fakturor?", "sv", "download-invoice"),
    ])
    func howToQuestionsMatchTheirArticle(text: String, language: String, id: String) throws {
        let hit = try #require(Self.help.bestMatch(text, language: language))
        #expect(hit.id == id, "\(text) → \(hit.id) \(hit.score)")
        #expect(hit.isGoodMatch, "\(text) → \(hit.id) \(hit.score)")
    }

    @Test(arguments: [
        "Do you sponsor local football clubs? We are looking for partners for next season.",
        "What's the weather like in Stockholm tomorrow?",
        "Können Sie mir ein gutes Restaurant in Berlin empfehlen?",
        "Jag vill boka en tvättid i tvättstugan på lördag.",
        "Are you hiring software engineers?",
    ])
    func unrelatedQuestionsDoNotMatch(text: String) {
        let hit = Self.help.bestMatch(text, language: nil)
        #expect(hit.map { !$0.isGoodMatch } ?? true, "\(text) → \(String(describing: hit))")
    }

    @Test func fallsBackToEnglishForOtherLanguages() throws {
        let hit = try #require(Self.help.bestMatch("How do I change my phone number?", language: "fi"))
        #expect(hit.id == "change-phone")
        #expect(hit.language == "en")
        #expect(hit.title == "How do I change my phone number?")
    }
}
