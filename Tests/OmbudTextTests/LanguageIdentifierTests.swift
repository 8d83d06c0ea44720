import Foundation
import Testing
@testable import OmbudText

@Suite struct LanguageIdentifierTests {
    let identifier: LanguageIdentifier

    init() throws {
        identifier = try LanguageIdentifier.shared()
    }

    @Test func undeterminedWithoutLetters() {
        for text in ["", "   ", "12345678", "89.90 € 2026-11-03", "#A-99812 !!!"] {
            let guess = identifier.identify(text)
            #expect(guess.language == "und", "\(text)")
            #expect(guess.confidence == 0)
        }
    }

    @Test func coversTheProfiles() {
        #expect(identifier.languages.count >= 55)
        for code in ["en", "de", "sv", "nb", "da", "fi", "nl", "fr", "es", "it", "pl", "gl", "zh", "ja", "ko"] {
            #expect(identifier.languages.contains(code), "\(code)")
        }
    }

    @Test(arguments: [
        ("en", "I was charged twice for my order"),
        ("en", "Where is my refund?"),
        ("de", "Ich wurde zweimal belastet"),
        ("de", "Wo ist meine Rückerstattung?"),
        ("sv", "Jag har inte fått tillbaka pengarna"),
        ("sv", "Var är mitt paket?"),
        ("nb", "Jeg har ikke fått pengene tilbake ennå"),
        ("da", "Jeg har stadig ikke fået mine penge tilbage"),
        ("fi", "Tilaukseni ei ole vielä saapunut"),
        ("nl", "Ik heb mijn geld nog steeds niet terug"),
        ("fr", "Je n'ai toujours pas reçu mon remboursement"),
        ("es", "Todavía no he recibido mi reembolso"),
        ("it", "Non ho ancora ricevuto il rimborso"),
        ("pl", "Nadal nie otrzymałem zwrotu pieniędzy"),
        ("ja", "注文した商品がまだ届いていません"),
        ("ko", "주문한 상품이 아직 도착하지 않았습니다"),
        ("zh", "我的退款还没有到账"),
        ("ru", "Я до сих пор не получил возврат денег"),
        ("el", "Δεν έχω λάβει ακόμα την επιστροφή χρημάτων"),
    ])
    func shortTicketsInMarketLanguages(expected: String, text: String) {
        let guess = identifier.identify(text)
        #expect(guess.language == expected, "\(text) → \(guess.language) \(guess.alternatives)")
        #expect(guess.confidence > 0 && guess.confidence <= 1)
    }

    @Test func shoutingIsStillEnglish() {
        #expect(identifier.identify("WHERE IS MY MONEY I WANT A REFUND NOW").language == "en")
    }

    @Test func veryShortTextHasLowConfidence() {
        let guess = identifier.identify("ok")
        #expect(guess.confidence < 0.5)
    }

    @Test func deterministic() {
        let text = "Hej, jag blev debiterad två gånger för min beställning"
        #expect(identifier.identify(text) == identifier.identify(text))
    }

    /// Every 4th line of the Tatoeba test set (500 sentences, 10 languages incl. Galician).
    /// Measured 89.6 % on the full set; the floor leaves room for small rule changes.
    @Test func tatoebaAccuracyFloor() throws {
        let file = try #require(TextModelTestData.shared, "shared data not found; set OMBUD_SHARED_DATA").appendingPathComponent("langid/tatoeba_tatodet/testset.csv")
        let lines = try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline)
        let map = ["eng": "en", "fra": "fr", "por": "pt", "spa": "es", "ita": "it", "glg": "gl", "cat": "ca",
                   "jpn": "ja", "cmn": "zh", "kor": "ko"]
        var total = 0, correct = 0
        for (i, line) in lines.enumerated() where i % 4 == 0 {
            let cols = line.split(separator: "\t", maxSplits: 2)
            guard cols.count == 3, let label = map[String(cols[1])] else { continue }
            total += 1
            if identifier.identify(String(cols[2])).language == label { correct += 1 }
        }
        #expect(total == 500)
        let accuracy = Double(correct) / Double(total)
        #expect(accuracy >= 0.86, "accuracy \(accuracy)")
    }
}
