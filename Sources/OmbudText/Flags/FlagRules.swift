import Foundation

/// The phrase lists behind `FlagDetector`. First written from domain knowledge and the CFPB
/// dev subset, later revised on the labelled evaluation sample; the blind sample was never used
/// for tuning (data/flags/README.md has the rounds and their measurements).
enum FlagRules {
    struct Rule: Sendable {
        let regex: NSRegularExpression
        /// Words one of which every match contains: texts without any skip the regular expression.
        let prefilter: RegexPrefilter
        let weight: Double
        let checkNegation: Bool
        /// The pattern's top-level alternatives, each with its own words (see `regex(for:)`).
        let alternatives: [(pattern: String, prefilter: RegexPrefilter)]
        let narrowed = NarrowedRegexes()

        /// The expression to run on a text (lower-cased UTF-8; nil: run the whole rule): the rule with only the
        /// alternatives whose words the text has, or nil when it has none. An alternative without its words in the
        /// text cannot match anywhere in it, so leaving it out changes no match; ICU tries every alternative at
        /// every position, and the long phrase lists cost 10–60 µs a text each when run whole.
        func regex(for lowered: [UInt8]?) -> NSRegularExpression? {
            guard let lowered else { return regex }
            let kept = alternatives.indices.filter { alternatives[$0].prefilter.mayMatch(lowered) }
            if kept.isEmpty { return nil }
            if kept.count == alternatives.count { return regex }
            return narrowed.regex(kept) { RulesRegex.make(FlagRules.whole(kept.map { alternatives[$0].pattern }.joined(separator: "|"))) }
        }
    }

    /// Compiled narrowed rules by the alternatives kept; texts repeat a few combinations, so the cache stays small
    /// (past its bound an expression is compiled for the one text).
    final class NarrowedRegexes: @unchecked Sendable {
        private let lock = NSLock()
        private var compiled: [[Int]: NSRegularExpression] = [:]

        func regex(_ kept: [Int], make: () -> NSRegularExpression) -> NSRegularExpression {
            lock.lock()
            defer { lock.unlock() }
            if let regex = compiled[kept] { return regex }
            let regex = make()
            if compiled.count < 512 { compiled[kept] = regex }
            return regex
        }
    }

    /// Whole words only; \p{L} so that "sue" does not fire inside "issue" or "pursue".
    static func whole(_ pattern: String) -> String {
        #"(?<![\p{L}])(?:"# + pattern + #")(?![\p{L}])"#
    }

    private static func rule(_ pattern: String, _ weight: Double, negatable: Bool = true) -> Rule {
        let whole = whole(pattern)
        return Rule(regex: RulesRegex.make(whole), prefilter: RegexPrefilter(pattern: whole), weight: weight, checkNegation: negatable,
                    alternatives: topLevelAlternatives(pattern).map { ($0, RegexPrefilter(pattern: $0)) })
    }

    /// A pattern split at its top-level `|` (not inside a group or a class, not escaped).
    static func topLevelAlternatives(_ pattern: String) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var groups = 0, classes = 0, escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped {
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "[" {
                classes += 1
            } else if scalar == "]", classes > 0 {
                classes -= 1
            } else if classes == 0, scalar == "(" {
                groups += 1
            } else if classes == 0, scalar == ")" {
                groups -= 1
            } else if classes == 0, groups == 0, scalar == "|" {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                continue
            }
            current.append(scalar)
        }
        parts.append(String(current))
        return parts
    }

    static let negations: Set<String> = [
        "not", "no", "don't", "dont", "do't", "doesn't", "didn't", "never", "without", "isn't", "won't", "wouldn't",
        "needn't", "nor", "neither", "nothing",
        "nicht", "kein", "keine", "keinen", "keiner", "keinem", "nie", "niemals", "ohne",
        "inte", "ingen", "inget", "inga", "aldrig", "utan", "ej",
        "ikke", "ingen", "aldri", "aldrig", "niet", "geen", "nooit", "pas", "jamais", "sans", "nunca", "sin", "non", "senza",
    ]

    static let conditionals: Set<String> = ["if", "unless", "wenn", "falls", "sofern", "om", "ifall", "hvis", "als", "si"]

    static let rules: [TicketFlag: [Rule]] = [
        .humanRequested: [
            // en
            rule(#"(?:speak|talk|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|some\s+|your\s+|the\s+)?(?:real\s+|actual\s+|live\s+|human\s+)?(?:person|people|human(?:\s+being)?|agent|representative|rep|someone|somebody|supervisor|manager|staff|employee|member\s+of\s+(?:staff|your\s+team)|customer\s+service(?:\s+rep(?:resentative)?)?)"#, 0.9),
            rule(#"(?:want|need|like|get|give\s+me|can\s+i\s+(?:have|get))\s+(?:to\s+(?:reach|contact)\s+)?(?:a\s+|an\s+)?(?:real|actual|live)\s+(?:person|human|agent)|(?:a\s+)?human\s+(?:please|agent|being)|(?:transfer|connect|escalate)\s+(?:me|this|my\s+case)\s+to\s+(?:a\s+|an\s+)?(?:human|person|agent|supervisor|manager|someone)"#, 0.9),
            rule(#"please\s+(?:call|phone|ring)\s+me|call\s+me\s+(?:back|asap|at|on|today|tomorrow|please)|(?:can|could|would)\s+(?:someone|somebody|you)\s+(?:please\s+)?(?:call|phone|ring)\s+me|(?:request|want|need|like)\s+a\s+(?:call|phone\s+call)(?:\s*back)?|(?:request|want|need|like)\s+a\s+callback|(?:have|get)\s+(?:someone|somebody|an?\s+agent|a\s+person)\s+(?:to\s+)?(?:call|phone|ring)\s+me"#, 0.8),
            rule(#"not\s+(?:a|another|your)\s+(?:bot|robot|machine|chatbot|automated\s+(?:reply|response|answer))|stop\s+(?:the\s+)?automated\s+(?:replies|responses|answers)"#, 0.85, negatable: false),
            rule(#"(?:asked|requested|demanded|begged)\s+(?:to\s+(?:speak|talk)\s+(?:to|with)\s+|for\s+)?(?:a\s+|the\s+|their\s+|your\s+|his\s+|her\s+)?(?:senior\s+|higher\s+)?(?:supervisor|manager|management|higher[-\s]up)|escalat(?:e|ed|ing)\s+(?:[\w']+\s+){0,3}(?:to|with)\s+(?:a\s+|the\s+|their\s+)?(?:supervisor|manager|someone)|tried\s+to\s+escalate|(?:requested|asked\s+for|request)\s+(?:a\s+)?call[-\s]?backs?"#, 0.75),
            // Complaints that no person can be reached mean the customer wants one.
            rule(#"no\s+(?:one|body|live\s+person|real\s+person|human|person|way|option|phone(?:\s+number)?)\s+(?:to\s+(?:talk|speak)\s+(?:to|with)|you\s+can\s+(?:talk|speak)\s+(?:to|with)|to\s+call)|(?:can't|cant|cannot|can\s+not|couldn't|couldnt|unable\s+to|no\s+way\s+to)\s+(?:reach|call|talk\s+to|speak\s+(?:to|with)|chat\s+with)\s+(?:anyone|anybody|a\s+(?:live\s+|real\s+)?(?:person|human|representative|supervisor|manager))|(?:supervisors?|managers?)\s+(?:was|were|is|are)\s+(?:not\s+available|unavailable|all\s+in\s+a\s+meeting)|no\s+supervisor|refused\s+to\s+(?:transfer\s+me|put\s+(?:anyone|someone|me\s+through)|let\s+me\s+speak)|(?:don't|do\s+not)\s+have\s+(?:a\s+phone|anyone\s+to\s+talk\s+to)|(?:any|no)\s+way\s+to\s+(?:verbally\s+)?(?:contact|reach|call|talk\s+to|speak\s+(?:to|with))|(?:have|has)\s+(?:no\s+one|nobody|anyone|any\s+one)\s+to\s+(?:talk|speak)|(?:get|reach)\s+(?:a|the)\s+(?:supervisor|manager)\s+on\s+the\s+(?:phone|line)|(?:have|has)\s+no\s+(?:phone(?:\s+number)?|way\s+to\s+call)"#, 0.7, negatable: false),
            // de
            rule(#"mit\s+(?:einem|einer|jemandem|ihrem|einem\s+echten|einer\s+echten)\s*(?:echten\s+|richtigen\s+)?(?:Menschen|Mitarbeiter(?:in)?|Berater(?:in)?|Sachbearbeiter(?:in)?|Person|Vorgesetzten|Kundenberater(?:in)?)?\s*(?:sprechen|reden|telefonieren|verbunden)"#, 0.9),
            rule(#"(?:bitte\s+um\s+(?:einen\s+)?Rückruf|rufen\s+Sie\s+mich\s+(?:bitte\s+)?(?:zurück|an)|Rückruf\s+(?:bitte|gewünscht)|ich\s+(?:möchte|will|brauche)\s+(?:einen\s+)?(?:echten\s+)?(?:Menschen|Mitarbeiter|Ansprechpartner|Rückruf))"#, 0.85),
            rule(#"(?:kein(?:en)?|nicht\s+mit\s+(?:einem|dem))\s+(?:Bot|Roboter|Chatbot|Automaten)"#, 0.85, negatable: false),
            // sv
            rule(#"(?:prata|tala|snacka)\s+med\s+(?:en\s+|någon\s+|ett\s+)?(?:riktig\s+|verklig\s+|levande\s+)?(?:människa|person|handläggare|kundtjänst|chef|ansvarig|medarbetare|någon)"#, 0.9),
            rule(#"(?:ring|kontakta)\s+(?:mig|upp\s+mig)|ringa\s+upp\s+mig|bli\s+uppringd|(?:vill|behöver)\s+(?:ha\s+)?(?:en\s+)?(?:riktig\s+)?(?:människa|person|handläggare)|en\s+riktig\s+(?:människa|person)"#, 0.85),
            rule(#"inte\s+(?:en|med\s+en)\s+(?:bot|robot|chattbot|maskin)"#, 0.85, negatable: false),
            // nb/da/nl/fr/es
            rule(#"(?:snakke|tale)\s+med\s+(?:et\s+|en\s+)?(?:ekte\s+)?(?:menneske|person|rådgiver|saksbehandler)|(?:spreken|praten)\s+met\s+(?:een\s+)?(?:echte\s+)?(?:mens|medewerker|persoon)|parler\s+(?:à|avec)\s+(?:un|une)\s+(?:vraie?\s+)?(?:personne|humain|conseiller|conseillère|agent)|hablar\s+con\s+(?:una?\s+)?(?:persona|humano|agente|asesor)"#, 0.9),
        ],
        .vulnerability: [
            // en
            rule(#"(?:financial|economic|severe|extreme)\s+(?:hardship|difficult(?:y|ies)|crisis|distress|struggles?)|hardship|struggling\s+(?:financially|to\s+(?:pay|make\s+ends\s+meet|survive|get\s+by|keep\s+up))|(?:can't|cannot|can\s+not|couldn't|unable\s+to)\s+(?:afford|pay\s+(?:for\s+)?(?:rent|food|bills|my\s+bills|it|this|the\s+(?:loan|payments?|instal+ments?))|make\s+(?:the\s+|my\s+)?payments?|keep\s+up)|make\s+ends\s+meet|living\s+paycheck\s+to\s+paycheck|fixed\s+income|behind\s+on\s+(?:rent|bills)"#, 0.8),
            rule(#"lost\s+(?:my|his|her|our)\s+(?:job|employment|income|work)|(?:was|been|got|were)\s+(?:laid\s+off|let\s+go|fired|furloughed|made\s+redundant)|laid\s+off|unemploy(?:ed|ment)|out\s+of\s+work|jobless|redundan(?:cy|t)"#, 0.85),
            rule(#"passed\s+away|(?:has|had|just)\s+died|died|death\s+(?:of|in)|bereave(?:d|ment)|funeral|widow(?:ed|er)?|lost\s+my\s+(?:wife|husband|mother|father|mom|dad|son|daughter|child|partner|brother|sister)"#, 0.9),
            rule(#"cancer|chemo(?:therapy)?|hospital(?:i[sz]ed)?|surgery|(?:serious|chronic|terminal|long-term|mental)\s+(?:illness|condition)|(?:i\s+am|i'm|i\s+was|been|became|got)\s+(?:very\s+|seriously\s+)?(?:sick(?!\s+(?:of|and\s+tired))|ill)|illness|medical\s+(?:emergency|bills|leave|condition|issues|problems)|disabilit(?:y|ies)|(?:i\s+am|i'm|i\s+was|is|am)\s+(?:permanently\s+)?disabled|disabled\s+(?:person|veteran|child|son|daughter|husband|wife|mother|father)|stroke|heart\s+attack|pregnan(?:t|cy)\s+complications"#, 0.85),
            rule(#"(?:i|i've|ive|we|we've|had\s+to|have\s+to)\s+(?:have\s+|had\s+|recently\s+|just\s+|already\s+)?(?:filed|file|filing|declared|claimed)\s+(?:for\s+)?(?:[\w-]+\s+){0,3}bankruptcy|my\s+bankruptcy|(?:had|have)\s+to\s+file\s+(?:[\w-]+\s+){0,3}bankruptcy|(?:fixed|limited|low|small|reduced)\s+income|(?:on|live\s+on|living\s+on)\s+(?:social\s+security|disability|SSI|SSDI|benefits|welfare|a\s+pension)|social\s+security\s+(?:check|income|benefits|payments?|direct\s+deposit)|SSDI|disability\s+(?:check|benefits|income|payments?)|(?:fell|falling|fallen|got|getting|get)\s+(?:so\s+far\s+|very\s+|really\s+)?behind|(?:can't|cant|cannot|can\s+not|couldn't|couldnt|could\s+not|unable\s+to|not\s+able\s+to)\s+(?:afford|(?:re)?pay\s+(?:it|this|them|the|my|back|anything)|make\s+(?:the\s+|my\s+)?payments?|keep\s+up)|struggl(?:e|ed|ing)\s+(?:with\s+(?:the\s+)?(?:payments?|bills|money|finances)|financially|to\s+(?:pay|make|keep|afford|survive|get\s+by))|(?:financial|medical|family)\s+emergenc(?:y|ies)|(?:hard|tough|difficult)\s+times|credit\s+counsel(?:l)?ing|debt\s+management|between\s+jobs|lost\s+(?:work|hours|income|my\s+income)|hours\s+(?:were\s+|got\s+)?cut|reduced\s+hours|divorc(?:e|ed|ing)|single\s+(?:mother|parent|mom|dad|father)|elderly|senior\s+citizen|deceased|my\s+late\s+(?:wife|husband|mother|father|partner)|(?:was|been|got|were)\s+(?:badly\s+|seriously\s+)?injured|(?:have|had)\s+no\s+money|(?:don't|dont|do\s+not)\s+have\s+(?:the\s+|any\s+)?(?:money|funds)|(?:money|funds)\s+(?:that\s+)?i\s+(?:do\s+not|don't|dont)\s+have|struggl(?:e|ed|ing)\s+to\s+(?:continue\s+)?pay(?:ing)?|difficult(?:y|ies)\s+(?:paying|making\s+(?:the\s+)?payments|with\s+(?:the\s+)?payments)|(?:could|can)\s+no\s+longer\s+(?:keep\s+up|afford|pay|make)|los(?:e|t|ing)\s+(?:work|my\s+job|hours|income)|being\s+(?:fired|laid\s+off)|forbearance|hardship\s+(?:program|plan|relief)|payment\s+relief"#, 0.75),
            rule(#"mental\s+health|depress(?:ed|ion)|anxiety|panic\s+attacks?|suicid(?:e|al)|self[-\s]harm|bipolar|ptsd|nervous\s+breakdown|emotional\s+distress"#, 0.9),
            rule(#"domestic\s+(?:violence|abuse)|abus(?:ive|ed)\s+(?:partner|relationship|husband|wife|ex|boyfriend|girlfriend)|financial(?:ly)?\s+abuse|coercive\s+control|(?:my\s+)?(?:ex|partner|husband|wife)\s+(?:took\s+out|used\s+my)|homeless(?:ness)?|evict(?:ed|ion)|food\s+bank"#, 0.9),
            // de
            rule(#"(?:finanzielle|wirtschaftliche|große)\s+(?:Not(?:lage)?|Schwierigkeiten|Probleme)|Notlage|(?:kann|könnte)\s+(?:die\s+(?:Raten?|Rechnung|Zahlung(?:en)?)\s+|es\s+mir\s+)?nicht\s+(?:mehr\s+)?(?:bezahlen|zahlen|leisten)|kein\s+Geld\s+mehr|Existenz(?:angst|not)|Privatinsolvenz|Schuldnerberatung"#, 0.8),
            rule(#"arbeitslos(?:igkeit)?|(?:Job|Arbeit(?:splatz)?|Stelle)\s+verloren|(?:mir\s+wurde|wurde\s+mir)\s+gekündigt|Kurzarbeit|Bürgergeld|Hartz\s*(?:IV|4)"#, 0.85),
            rule(#"verstorben|gestorben|Todesfall|Beerdigung|Trauerfall|Trauer|Witwe[r]?|(?:ist|sind)\s+(?:kürzlich\s+)?tot"#, 0.9),
            rule(#"(?:schwer\s+|schwer\s+)?krank|Krankheit|Krankenhaus|Klinik|Krebs|Chemotherapie|operiert|Reha|Behinderung|schwerbehindert|Pflegefall"#, 0.85),
            rule(#"Depression(?:en)?|depressiv|psychisch(?:e|en)?(?:\s+(?:Probleme|Erkrankung|Belastung))?|Angststörung|Panikattacken?|Burn-?out|Suizid|suizidal"#, 0.9),
            rule(#"häusliche\s+Gewalt|Missbrauch|misshandelt|obdachlos|Zwangsräumung"#, 0.9),
            // sv
            rule(#"(?:ekonomiska|ekonomisk)\s+(?:svårigheter|kris|problem)|svår\s+ekonomisk\s+situation|(?:kan|klarar)\s+inte\s+(?:att\s+)?(?:betala|bära)|har\s+inte\s+råd|inga\s+pengar\s+(?:kvar|till)|skuldsatt|Kronofogden|skuldsanering"#, 0.8),
            rule(#"arbetslös|(?:förlorat|förlorade|tappat|blev\s+av\s+med)\s+(?:mitt\s+|jobbet|arbetet|jobb)\s*(?:jobb|arbete)?|(?:blivit|blev)\s+uppsagd|uppsagd|varslad|permitterad"#, 0.85),
            rule(#"avled|avliden|gick\s+bort|dödsfall|begravning|sorg|änka|änkling|(?:min|mitt|mina)\s+\w+\s+dog"#, 0.9),
            rule(#"sjuk(?:skriven|dom|hus(?:et)?)?|cancer|opererad|cellgift|funktionsnedsättning|handikapp"#, 0.85),
            rule(#"depression|deprimerad|ångest|psykisk(?:a|t)?\s+(?:ohälsa|sjukdom|problem)|utbränd|utmattningssyndrom|självmord"#, 0.9),
            rule(#"våld\s+i\s+nära\s+relation(?:er)?|misshandel|misshandlad|hemlös|vräkt|vräkning"#, 0.9),
            // nb/da/nl/fr/es
            rule(#"arbeidsledig|arbejdsløs|werkloos|chômage|desempleado|syk(?:dom|ehus)?|ziek(?:enhuis)?|malade|enfermo|enfermedad|gått\s+bort|døde|overleden|décédé|fallecido|depresjon|depression|angst|økonomiske\s+problemer|betalingsproblemer|geldproblemen|difficultés\s+financières|dificultades\s+económicas"#, 0.8),
        ],
        .formalComplaint: [
            // Regulators, ombudsmen and complaint boards in the lender's markets (and the US ones in CFPB data).
            rule(#"ombuds(?:man|mann|person|mannen)|financial\s+ombudsman|CFPB|consumer\s+financial\s+protection\s+bureau|FCA|financial\s+conduct\s+authority|regulator(?:y\s+(?:body|authority))?|BaFin|Bundesanstalt\s+für\s+Finanzdienstleistungsaufsicht|Schlichtungsstelle|Verbraucherzentrale|Finansinspektionen|Allmänna\s+reklamationsnämnden|ARN|Konsumentverket|Konsumenternas\s+Bank|Finanstilsynet|Forbrukerrådet|Finansklagenemnda|Forbrugerklagenævnet|Pengeinstitutankenævnet|Kuluttajariitalautakunta|FIN-FSA|Kifid|AFM|ACPR|Banco\s+de\s+España|Arbitro\s+Bancario|UOKiK|KNF|attorneys?\s+generals?(?:'s|s')?|FTC|federal\s+trade\s+commission|department\s+of\s+(?:financial|banking|business)|division\s+of\s+(?:banking|financial)|financial\s+(?:regulation|institutions)\s+(?:department|division)|state\s+(?:regulators?|banking\s+(?:department|commission))"#, 0.9),
            rule(#"protection\s+bureau|higher\s+authorities|government\s+agenc(?:y|ies)|(?:federal|state)\s+(?:regulators?|agenc(?:y|ies))|(?:previous|prior|earlier|original|last)\s+(?:cfpb\s+)?complaint|consumer\s+complaint\s+(?:number|#)|(?:file|filed|filing)\s+(?:a\s+)?(?:financial\s+)?complaint\s+against"#, 0.65),
            // en: formal complaint, filing/lodging a complaint
            rule(#"(?:formal|official|regulatory)\s+complaint|(?:file|filed|filing|lodge|lodged|lodging|submit|submitted|submitting|make|making|raise|raising|open|register)\s+(?:a|an|this|my|another)\s+(?:formal\s+|official\s+)?complaint|complaint\s+(?:has\s+been\s+|was\s+)?(?:filed|lodged)|report\s+(?:you|this|them|your\s+company)\s+to\s+the\s+(?:authorities|regulator)"#, 0.75),
            // de
            rule(#"(?:förmliche|formelle|offizielle)\s+Beschwerde|Beschwerde\s+(?:einreichen|einlegen|erheben|eingereicht|eingelegt)|(?:reiche|lege)\s+(?:hiermit\s+)?(?:eine\s+)?(?:formelle\s+)?Beschwerde\s+ein|beschwere\s+mich\s+(?:hiermit\s+)?(?:offiziell|förmlich|bei\s+der)"#, 0.8),
            // sv
            rule(#"(?:formellt|officiellt)\s+klagomål|(?:lämna|lämnar|göra|gör|skicka|skickar)\s+(?:in\s+)?(?:ett\s+)?(?:formellt\s+)?klagomål|anmäla\s+(?:er|dig|detta|företaget|bolaget)\s+till|anmälan\s+till\s+(?:ARN|Konsumentverket|Finansinspektionen)"#, 0.8),
            // nb/da/nl/fr/es
            rule(#"formell\s+klage|formel\s+klage|klage\s+til\s+(?:Finansklagenemnda|Forbrukerrådet|Finanstilsynet)|formele\s+klacht|klacht\s+indienen|réclamation\s+officielle|plainte\s+formelle|reclamación\s+formal|queja\s+formal"#, 0.8),
        ],
        .legalThreat: [
            // en: the customer's own lawyer or legal step; a bare "court" or "lawsuit" in a story
            // (the lender sued them, the lender lost a class action) is not a threat.
            rule(#"(?:my|our)\s+(?:lawyer|attorney|solicitor|legal\s+(?:team|counsel|representative|representation))|(?:hire|hired|hiring|retain|retained|retaining|contact|contacted|contacting|consult|consulted|consulting|seek|seeking|sought|get|getting|speak\s+(?:to|with)|spoke\s+(?:to|with)|talk\s+to|talked\s+to|call|involve|involving|see)\s+(?:an?\s+|my\s+)?(?:lawyer|attorney|solicitor|legal\s+(?:counsel|advice|representation|aid))|lawyer\s+up"#, 0.9),
            rule(#"(?:i|we)(?:'ll|\s+will|\s+am\s+going\s+to|\s+are\s+going\s+to|\s+plan\s+to|\s+intend\s+to|\s+may|\s+might|\s+would|\s+shall|\s+have\s+to|\s+want\s+to)?\s+(?:have\s+to\s+|be\s+forced\s+to\s+)?(?:sue|take\s+(?:legal\s+action|(?:you|them|this|it|the\s+matter)\s+to\s+court))|sue\s+(?:you|them|your\s+company|the\s+company)|suing\s+(?:you|them|your|the\s+company)|take\s+(?:you|them|this|it|the\s+matter)\s+to\s+court|see\s+you\s+in\s+court|small\s+claims|(?:file|filing|start|starting|join|joining|pursue|pursuing|bring|bringing|initiate|take|taking)\s+(?:a\s+|an\s+)?(?:class[-\s]action|lawsuit|law\s+suit|legal\s+action|legal\s+proceedings|litigation|legal\s+steps)|(?:count\s+me\s+in|include\s+me\s+in|be\s+included\s+in|part\s+of)\s+(?:any\s+|the\s+|a\s+)?(?:[\w-]+\s+){0,3}class[-\s]action|legal\s+(?:action|steps|proceedings)\s+against\s+(?:you|your|them|the\s+company)|asking\s+the\s+court"#, 0.85),
            // de
            rule(#"(?:Rechts)?[Aa]nwält(?:in|e|en)?|(?:Rechts)?[Aa]nwalt(?:s)?|anwaltlich(?:e|en)?|Verbraucheranwalt|verklagen|Klage\s+(?:einreichen|erheben)|(?:werde|werden)\s+(?:Sie\s+)?(?:verklagen|klagen)|rechtliche\s+Schritte|juristische\s+Schritte|gerichtlich(?:e|en)?|vor\s+Gericht|Gericht"#, 0.85),
            // sv
            rule(#"advokat(?:en)?|jurist(?:en)?|stämma\s+(?:er|dig|företaget|bolaget|dem|\p{Lu}\w+)|stämning(?:sansökan)?\s+(?:mot|till)|rättsliga\s+åtgärder|juridiska\s+åtgärder|rättslig\s+prövning|domstol(?:en)?|tingsrätt(?:en)?|(?:gå|gå\s+vidare|ta\s+det)\s+(?:till\s+)?(?:rättslig|juridisk)(?:a|t)?|tvistemål"#, 0.85),
            // nb/da/nl/fr/es
            rule(#"saksøke|søksmål|rettslige\s+skritt|retssag|sagsøge|advocaat|rechtszaak|aanklagen|juridische\s+stappen|avocat|poursuites?\s+judiciaires?|action\s+en\s+justice|tribunal|abogado|demandar(?:les|te)?|acciones\s+legales|avvocato|azioni\s+legali|prawnik|pozew"#, 0.85),
        ],
    ]

    /// False friends that the patterns above would otherwise take.
    static func isExcluded(_ flag: TicketFlag, _ ns: NSString, _ range: NSRange) -> Bool {
        let match = ns.substring(with: range).lowercased()
        let afterStart = range.location + range.length
        let after = ns.substring(with: NSRange(location: afterStart, length: min(30, ns.length - afterStart))).lowercased()
        let beforeStart = max(0, range.location - 30)
        let before = ns.substring(with: NSRange(location: beforeStart, length: range.location - beforeStart)).lowercased()
        switch flag {
        case .legalThreat:
            // "attorney general" is a regulator; "power of attorney" and the lender's own lawyers are no threat;
            // being sued by the lender is not the customer threatening.
            if match.contains("attorney") && (after.hasPrefix(" general") || after.hasPrefix("s general") || after.hasPrefix("'s office")) { return true }
            if before.hasSuffix("power of ") { return true }
            if before.range(of: #"(?:their|its|the company's|company|lender's|your|his|her|closing)\s*$"#, options: .regularExpression) != nil,
               match.range(of: #"^(?:lawyers?|attorneys?|solicitors?|legal\s+(?:team|counsel))$"#, options: .regularExpression) != nil { return true }
            if match == "in court" && after.range(of: #"^\s*(?:ordered|order)"#, options: .regularExpression) != nil { return true }
            if match.hasPrefix("court") && after.hasPrefix(" order") { return true }
            if match == "gericht" && before.hasSuffix("das ") && after.hasPrefix(" war") { return true }  // a dish ("das Gericht war kalt")
            return false
        case .vulnerability:
            // "ich habe gekündigt" (I cancelled) is not a job loss; "death" of an account/contract is figurative.
            // "my phone/card/account died" is not a bereavement.
            if match == "died" && before.range(of: #"(?:phone|card|battery|account|laptop|computer|app)\s*(?:has\s+|just\s+)?$"#, options: .regularExpression) != nil { return true }
            return false
        case .formalComplaint:
            // Abbreviations in capitals only: "fca", "arn", "afm", "knf", "ftc" could be ordinary words or typos.
            let raw = ns.substring(with: range)
            if ["fca", "arn", "afm", "knf", "ftc", "acpr"].contains(match) && raw != raw.uppercased() { return true }
            return false
        case .humanRequested:
            return false
        }
    }
}
