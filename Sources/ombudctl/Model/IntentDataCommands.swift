import ArgumentParser
import Foundation
import OmbudText

/// Expands data/intents/templates.txt into varied, labelled training rows.
struct ModelGenerateIntents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-intents",
        abstract: "Expand the hand-written intent templates into data/intents/ombud_intents.csv.",
        discussion: """
        Fills the slots ({merchant} {amount} {date} {item} {order} {days}) with values in the \
        template's language and varies the result (chat prefixes, e-mail wrappers with greetings and \
        sign-offs, lower case, dropped punctuation, typos, two sentences joined). Deterministic for a seed.
        """
    )
    @Option(help: "Template file.") var templates = "data/intents/templates.txt"
    @Option(help: "Output CSV (text,intent,language,template).") var out = "data/intents/ombud_intents.csv"
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Variants per template for en/de/sv (other languages get two thirds).") var variants = 12

    func run() async throws {
        let text = try String(contentsOfFile: templates, encoding: .utf8)
        let sections = try ModelIntentTemplates.parse(text)
        var rng = TextModelRNG(seed: seed)
        var seen = Set<String>()
        var rows: [[String]] = []
        var templateNumber = 0
        for section in sections {
            let perTemplate = ["en", "de", "sv"].contains(section.language) ? variants : max(2, variants * 2 / 3)
            for template in section.templates {
                templateNumber += 1
                // The template itself (slots filled) always appears once, unvaried.
                var attempts = 0, made = 0
                while made < perTemplate && attempts < perTemplate * 4 {
                    attempts += 1
                    var body = ModelIntentTemplates.fill(template, language: section.language, rng: &rng)
                    if made > 0 {
                        if rng.nextDouble() < 0.12, let other = section.templates.randomElement(using: &rng), other != template {
                            body += " " + ModelIntentTemplates.fill(other, language: section.language, rng: &rng)
                        }
                        body = ModelIntentTemplates.vary(body, language: section.language, rng: &rng)
                    }
                    if seen.insert(body).inserted {
                        rows.append([body, section.intent, section.language, "\(section.intent)/\(section.language)/\(templateNumber)"])
                        made += 1
                    }
                }
            }
        }
        try Data(CSVTable.render(header: ["text", "intent", "language", "template"], rows: rows).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        var perLanguage: [String: Int] = [:]
        for r in rows { perLanguage[r[2], default: 0] += 1 }
        ModelCLI.log("wrote \(rows.count) rows to \(out): " + perLanguage.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
}

/// The template language: "@intent lang" headers, one template per line, # comments.
enum ModelIntentTemplates {
    struct Section { var intent: String; var language: String; var templates: [String] }

    static func parse(_ text: String) throws -> [Section] {
        var sections: [Section] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("@") {
                let parts = line.dropFirst().split(separator: " ").map(String.init)
                guard parts.count == 2, IntentClassifier.policyIntents.contains(parts[0]) else {
                    throw ValidationError("bad section header '\(line)' (want '@intent lang' with a POLICY.md intent)")
                }
                sections.append(Section(intent: parts[0], language: parts[1], templates: []))
            } else {
                guard !sections.isEmpty else { throw ValidationError("template before the first @section: \(line)") }
                sections[sections.count - 1].templates.append(line)
            }
        }
        return sections
    }

    static let merchants = ["Nordic Shoes", "Zalando", "IKEA", "H&M", "Elgiganten", "MediaMarkt", "Otto", "CDON", "Boozt",
                            "Stadium", "Adlibris", "Apotea", "Jollyroom", "Nelly", "Ellos", "Lyko", "Power", "XXL",
                            "Komplett", "bol.com", "Fnac", "El Corte Inglés", "Allegro", "Netflix", "Spotify", "Sportamore",
                            "Asos", "Zara", "Apple Store", "Verkkokauppa", "Coolblue", "Decathlon"]

    static let items: [String: [String]] = [
        "en": ["shoes", "jacket", "headphones", "sofa", "phone case", "dress", "TV", "jeans", "coffee machine", "sneakers", "lamp"],
        "de": ["Schuhe", "Jacke", "Kopfhörer", "Sofa", "Handyhülle", "Kleid", "Jeans", "Kaffeemaschine", "Sneaker", "Lampe"],
        "sv": ["skorna", "jackan", "hörlurarna", "soffan", "mobilskalet", "klänningen", "jeansen", "kaffebryggaren", "lampan"],
    ]

    static let monthNames: [String: [String]] = [
        "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
    ]

    static func amount(_ language: String, rng: inout TextModelRNG) -> String {
        let whole = [9, 19, 29, 35, 49, 59, 79, 89, 99, 120, 149, 199, 249, 299, 349, 499, 899, 1299][rng.nextInt(below: 18)]
        let cents = ["00", "90", "95", "99", "50"][rng.nextInt(below: 5)]
        let r = rng.nextInt(below: 3)
        switch language {
        case "en": return ["£\(whole).\(cents)", "€\(whole)", "$\(whole).\(cents)", "\(whole).\(cents) EUR", "\(whole) euros"][rng.nextInt(below: 5)]
        case "sv", "no", "da":
            let cur = ["sv": "SEK", "no": "NOK", "da": "DKK"][language]!
            return r == 0 ? "\(whole) kr" : r == 1 ? "\(whole),\(cents) \(cur)" : "\(cur) \(whole)"
        case "pl": return r == 0 ? "\(whole) zł" : "\(whole),\(cents) PLN"
        default: return r == 0 ? "\(whole),\(cents) €" : r == 1 ? "\(whole) EUR" : "€\(whole),\(cents)"
        }
    }

    static func date(_ language: String, rng: inout TextModelRNG) -> String {
        let day = 1 + rng.nextInt(below: 28), month = 1 + rng.nextInt(below: 12)
        let names = monthNames[language]
        switch (language, rng.nextInt(below: 3)) {
        case ("en", 0): return "\(names![month - 1]) \(day)"
        case ("en", 1): return "\(day) \(names![month - 1])"
        case ("de", 0), ("de", 1): return "\(day). \(names![month - 1])"
        case ("sv", 0), ("sv", 1): return "\(day) \(names![month - 1])"
        case (_, 2): return "2026-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        default: return "\(day).\(month).2026"
        }
    }

    static func fill(_ template: String, language: String, rng: inout TextModelRNG) -> String {
        var s = template
        func replace(_ slot: String, _ make: (inout TextModelRNG) -> String) {
            while let r = s.range(of: slot) { s.replaceSubrange(r, with: make(&rng)) }
        }
        replace("{merchant}") { merchants[$0.nextInt(below: merchants.count)] }
        replace("{amount}") { amount(language, rng: &$0) }
        replace("{date}") { date(language, rng: &$0) }
        replace("{item}") { g in let list = items[language] ?? items["en"]!; return list[g.nextInt(below: list.count)] }
        replace("{order}") { g in ["", "#", "ORD-"][g.nextInt(below: 3)] + String(10_000_000 + g.nextInt(below: 89_999_999)) }
        replace("{days}") { g in String(5 + g.nextInt(below: 36)) }
        return s
    }

    static let greetings: [String: [String]] = [
        "en": ["Hi", "Hello", "Hey", "Good morning"], "de": ["Hallo", "Guten Tag", "Hi", "Moin"],
        "sv": ["Hej", "Hejsan", "Hallå", "God morgon"], "no": ["Hei", "Hallo"], "da": ["Hej", "Goddag"],
        "fi": ["Hei", "Moi"], "nl": ["Hallo", "Goedemiddag"], "fr": ["Bonjour", "Salut"],
        "es": ["Hola", "Buenos días"], "it": ["Ciao", "Buongiorno"], "pl": ["Dzień dobry", "Cześć"],
    ]
    static let mailOpen: [String: String] = [
        "en": "Dear customer service,", "de": "Sehr geehrte Damen und Herren,", "sv": "Hej kundtjänst,",
        "no": "Hei kundeservice,", "da": "Kære kundeservice,", "fi": "Hyvä asiakaspalvelu,", "nl": "Beste klantenservice,",
        "fr": "Madame, Monsieur,", "es": "Estimado servicio de atención al cliente:", "it": "Gentile servizio clienti,",
        "pl": "Szanowni Państwo,",
    ]
    static let mailContext: [String: [String]] = [
        "en": ["I have been a customer for years.", "Please look into this as soon as possible.", "I have attached a screenshot.",
               "This is really frustrating.", "I use your app for most of my shopping."],
        "de": ["Ich bin seit Jahren Kunde.", "Bitte kümmern Sie sich schnell darum.", "Einen Screenshot habe ich angehängt.", "Das ist wirklich ärgerlich."],
        "sv": ["Jag har varit kund i flera år.", "Snälla titta på detta så snart som möjligt.", "Jag har bifogat en skärmdump.", "Det här är väldigt frustrerande."],
        "no": ["Vennligst se på dette så snart som mulig."], "da": ["Se venligst på det hurtigst muligt."],
        "fi": ["Pyydän hoitamaan asian pian."], "nl": ["Graag zo snel mogelijk een reactie."], "fr": ["Merci de traiter ma demande rapidement."],
        "es": ["Por favor, revísenlo lo antes posible."], "it": ["Vi prego di verificare al più presto."], "pl": ["Proszę o szybką odpowiedź."],
    ]
    static let mailClose: [String: String] = [
        "en": "Kind regards,", "de": "Mit freundlichen Grüßen", "sv": "Med vänliga hälsningar", "no": "Med vennlig hilsen",
        "da": "Med venlig hilsen", "fi": "Ystävällisin terveisin", "nl": "Met vriendelijke groet,", "fr": "Cordialement,",
        "es": "Un saludo,", "it": "Cordiali saluti,", "pl": "Z poważaniem,",
    ]
    static let names = ["Anna Berg", "Lukas Müller", "Emma Nilsson", "Ola Hansen", "Mette Jensen", "Mikko Virtanen", "Sanne de Vries",
                        "Julie Martin", "Lucía García", "Giulia Rossi", "Piotr Nowak", "John Smith"]

    /// Random surface variation; never changes what the message asks for.
    static func vary(_ body: String, language: String, rng: inout TextModelRNG) -> String {
        var s = body
        if rng.nextDouble() < 0.25, s.count > 20 { s = typo(s, rng: &rng) }
        if rng.nextDouble() < 0.3, let last = s.last, ".!?".contains(last) { s.removeLast() }
        let shape = rng.nextDouble()
        if shape < 0.2 {
            let context = (mailContext[language] ?? mailContext["en"]!)
            s = "\(mailOpen[language] ?? "Hello,")\n\n\(s) \(context[rng.nextInt(below: context.count)])\n\n\(mailClose[language] ?? "Regards,")\n\(names[rng.nextInt(below: names.count)])"
        } else if shape < 0.4 {
            let g = greetings[language] ?? greetings["en"]!
            s = g[rng.nextInt(below: g.count)] + [", ", " ", "! "][rng.nextInt(below: 3)] + s
        }
        if rng.nextDouble() < 0.25 { s = s.lowercased() }
        return s
    }

    /// One keyboard slip: a swapped, dropped or doubled letter in a longer word.
    static func typo(_ s: String, rng: inout TextModelRNG) -> String {
        var words = s.split(separator: " ", omittingEmptySubsequences: false).map { Array($0) }
        let candidates = words.indices.filter { words[$0].count >= 5 && words[$0].allSatisfy(\.isLetter) }
        guard let w = candidates.isEmpty ? nil : candidates[rng.nextInt(below: candidates.count)] else { return s }
        var chars = words[w]
        let i = 1 + rng.nextInt(below: chars.count - 2)
        switch rng.nextInt(below: 3) {
        case 0: chars.swapAt(i, i + 1)
        case 1: chars.remove(at: i)
        default: chars.insert(chars[i], at: i)
        }
        words[w] = chars
        return words.map { String($0) }.joined(separator: " ")
    }
}
