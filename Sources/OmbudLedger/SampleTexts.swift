import Foundation
import OmbudCore

/// The words of `SampleTickets`: templates per language and intent, with `{token}` placeholders filled from the ledger.
/// Tokens: m merchant, a order total, d order date, x total plus shipping, y total less 20 %, c carrier, t tracking,
/// e expected delivery, k first capture, rd refund date, rs return registered, cd subscription cancelled, f fee, fd fee
/// date, p incoming payment, pd its date, r its reference, i instalment, du its due date, n first name.
/// A template is only used when every token it names is known for the chosen customer and order.
enum SampleTexts {
    static func tokensIn(_ template: String) -> [String] {
        var out: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// The templates of `language` for `intent` whose tokens are all known.
    static func usable(_ language: String, _ intent: String, _ tokens: [String: String]) -> [String] {
        (bodies[language]?[intent] ?? []).filter { tokensIn($0).allSatisfy { tokens[$0] != nil } }
    }

    static func fill(_ template: String, _ tokens: [String: String]) -> String {
        var text = template
        for token in tokensIn(template) { text = text.replacingOccurrences(of: "{" + token + "}", with: tokens[token] ?? "") }
        return text
    }

    // MARK: Amounts and dates as people write them

    static func amount(_ value: Decimal, _ currency: String, _ language: String, style: Int) -> String {
        var v = value, r = Decimal()
        NSDecimalRound(&r, &v, 2, .plain)
        let cents = NSDecimalNumber(decimal: r * 100).intValue
        let whole = cents / 100, fraction = cents % 100
        let frac2 = fraction < 10 ? "0" + String(fraction) : String(fraction)
        func grouped(_ sep: String) -> String {
            var digits = String(whole), out = ""
            while digits.count > 3 { out = sep + String(digits.suffix(3)) + out; digits = String(digits.dropLast(3)) }
            return digits + out
        }
        let crown = currency == "SEK" || currency == "NOK" || currency == "DKK"
        switch language {
        case "en":
            let number = grouped(style % 3 == 0 ? "," : "") + (fraction == 0 && crown ? "" : "." + frac2)
            if currency == "EUR" { return style % 2 == 0 ? "€" + number : number + " EUR" }
            return number + " " + currency
        case "de":
            let number = grouped(".") + (fraction == 0 && style % 3 == 0 ? "" : "," + frac2)
            if currency == "EUR" { return style % 2 == 0 ? number + " €" : number + " EUR" }
            return number + " " + currency
        case "sv", "nb", "da":
            let number = grouped(style % 2 == 0 ? " " : "") + (fraction == 0 ? "" : "," + frac2)
            if crown {
                if language == "sv" && currency == "SEK" && style % 4 == 1 && fraction == 0 { return number + ":-" }
                if language != "sv" && style % 3 == 2 && fraction == 0 { return "kr " + number + ",-" }
                return currency == (language == "sv" ? "SEK" : language == "nb" ? "NOK" : "DKK") ? number + " kr" : number + " " + currency
            }
            return number + " euro"
        case "fi":
            return grouped(" ") + "," + frac2 + (currency == "EUR" ? " €" : " " + currency)
        case "nl":
            return currency == "EUR" ? "€ " + grouped(".") + "," + frac2 : grouped(".") + "," + frac2 + " " + currency
        default:
            return grouped("") + "." + frac2 + " " + currency
        }
    }

    static let months: [String: [String]] = [
        "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
        "nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"],
        "da": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"],
        "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    ]

    static func date(_ day: Day, _ language: String, style: Int) -> String {
        let name = months[language]?[day.month - 1] ?? months["en"]![day.month - 1]
        switch language {
        case "en": return style % 2 == 0 ? "\(day.day) \(name)" : "\(name.prefix(3)) \(day.day)"
        case "de": return style % 2 == 0 ? "\(day.day). \(name)" : String(format: "%02d.%02d.", day.day, day.month)
        case "sv": return style % 2 == 0 ? "\(day.day) \(name)" : "\(day.day)/\(day.month)"
        case "nb", "da": return "\(day.day). \(name)"
        case "fi": return "\(day.day).\(day.month)."
        case "nl": return "\(day.day) \(name)"
        default: return day.description
        }
    }

    // MARK: Bodies

    static let bodies: [String: [String: [String]]] = [
        "en": [
            "item_not_received": [
                "I ordered from {m} on {d} ({a}) and it still hasn't arrived. The tracking number {t} from {c} hasn't moved in days.",
                "My {m} order from {d} never came, but I'm already being asked to pay {a}. Where is it?",
                "Still no parcel from {m}. It was supposed to arrive by {e}. Can you pause the payment until I actually get it?",
                "hi, my package from {m} hasnt arrived yet, {c} tracking {t} just says in transit. what do i do",
                "I have not received my order from {m} ({a}, ordered {d}). The shop hasn't even shipped it as far as I can see.",
            ],
            "return_not_refunded": [
                "I returned my {m} order weeks ago but you are still asking me to pay {a}.",
                "I sent the items back to {m} on {rs} and I still have an invoice for {a}. I shouldn't have to pay for something I returned.",
                "Returned everything from my {m} order ({a}) and got no refund. Can you stop the payments?",
                "hi I sent back my {m} parcel but the payments are still running, why??",
            ],
            "refund_not_received": [
                "{m} says they refunded my order of {a} on {rd}, but I can't see it anywhere in my account.",
                "The shop ({m}) confirmed a refund but my balance still shows {a}. Where did the money go?",
                "I got an email from {m} saying the refund was done, it's been days and nothing shows up in the app.",
            ],
            "faulty_or_not_as_described": [
                "The item I got from {m} arrived broken. It cost {a} and I don't want to pay for something damaged.",
                "What {m} sent me is not what was in the pictures at all, the colour and size are wrong. Order from {d}, {a}.",
                "My order from {m} arrived damaged, the box was crushed and the product doesn't work. Photos attached.",
                "I think the product from {m} is a fake. It doesn't look like the original at all.",
            ],
            "incorrect_amount": [
                "My order from {m} was {a} but you are charging me {x}. That's not right.",
                "I used a 20% discount code at {m}, I should pay {y}, not {a}.",
                "The amount on my invoice for {m} is wrong. I was told shipping was free but I'm being charged {x} instead of {a}.",
            ],
            "duplicate_charge": [
                "I was charged twice for my {m} order, {k} both times.",
                "Hi, you took {k} two times for the same purchase at {m} on {d}. Please refund one of them.",
                "double charge!! {m} {k} shows up twice on my bank statement",
                "It looks like my payment to {m} went through twice. I only bought one thing.",
            ],
            "already_paid": [
                "I paid {p} by bank transfer on {pd} but the app still says my invoice is unpaid.",
                "I have already paid! I transferred {p} with reference {r}, why am I getting reminders?",
                "My payment of {p} from {pd} isn't showing. I have the receipt from my bank.",
                "paid the invoice days ago ({p}) and it still shows as open, please check",
                "I already paid my invoice but the app still says it's open. Why?",
            ],
            "subscription_cancelled": [
                "I cancelled my {m} subscription on {cd} but I was charged again.",
                "Why am I still paying for {m}? I cancelled it weeks ago.",
                "I ended my {m} membership and you still took {a}. Please refund it.",
            ],
            "fee_dispute": [
                "Why was I charged a {f} fee? I paid on time.",
                "I got a late fee of {f} on {fd} and I don't think it's fair, I never got a reminder.",
                "Please remove the reminder fee of {f}. The invoice never reached me.",
                "a fee of {f}?? for being one day late? come on",
                "Why do I have a reminder fee? I always pay on time.",
            ],
            "unauthorized_purchase": [
                "There is a purchase from {m} for {a} on my account that I did not make.",
                "I don't recognise an order from {m} on {d}. I think someone has used my account.",
                "Someone has made a purchase in my name at {m} ({a}). I never shopped there. Please block my account.",
            ],
            "payment_change": [
                "Can I move the due date of my next payment ({i}, due {du})? I get paid a few days later.",
                "Is it possible to postpone my payment for the {m} order by a week or two?",
                "I'd like to extend the due date on my invoice of {i}. Payday is after the {du}.",
                "can i pay {i} a bit later than {du}?",
            ],
            "payment_declined": [
                "My purchase at {m} was declined at checkout, why?",
                "I tried to pay {a} at {m} and it said payment declined. I have money on my card.",
                "Why can't I use you at {m} anymore? It keeps saying my payment was not approved.",
            ],
            "financial_difficulty": [
                "I lost my job and I can't pay my instalment of {i} right now. What can I do?",
                "I'm struggling financially at the moment and won't be able to pay {i} on {du}. Can we set up a plan?",
                "I can't afford the payments anymore, I have too many bills this month.",
            ],
            "general_inquiry": [
                "How do I change the e-mail address on my account?",
                "Can I pay off my whole balance early without extra cost?",
                "Where can I download my invoices as PDF?",
                "How do I update my phone number in the app?",
                "Do you report to the credit bureau if I pay late?",
            ],
        ],
        "de": [
            "item_not_received": [
                "Ich habe am {d} bei {m} bestellt ({a}) und die Lieferung ist immer noch nicht da. Die Sendungsnummer {t} von {c} bewegt sich seit Tagen nicht.",
                "Meine Bestellung von {m} ist nie angekommen, aber ich soll schon {a} bezahlen. Wo ist das Paket?",
                "Das Paket von {m} sollte bis {e} kommen. Bis heute nichts. Können Sie die Zahlung pausieren?",
                "hallo, mein paket von {m} ist noch nicht da, bei {c} steht nur in zustellung ({t})",
                "Ich habe meine Bestellung von {m} vom {d} nicht erhalten, laut Shop wurde sie noch nicht einmal verschickt.",
            ],
            "return_not_refunded": [
                "Ich habe die Ware an {m} zurückgeschickt, trotzdem soll ich {a} zahlen.",
                "Retoure an {m} am {rs} abgeschickt, aber die Rechnung über {a} ist immer noch offen. Bitte stoppen Sie die Zahlung.",
                "Ich habe alles zurückgesendet und noch keine Erstattung bekommen. Warum laufen die Raten weiter?",
            ],
            "refund_not_received": [
                "{m} sagt, die Erstattung über {a} wurde am {rd} veranlasst, aber ich sehe nichts in meinem Konto.",
                "Der Händler ({m}) hat mir eine Gutschrift bestätigt, der offene Betrag ist aber immer noch {a}.",
                "Laut {m} ist das Geld zurückgebucht, in der App sehe ich davon nichts. Wo bleibt die Rückerstattung?",
            ],
            "faulty_or_not_as_described": [
                "Der Artikel von {m} ist defekt angekommen. Ich möchte die {a} nicht für kaputte Ware bezahlen.",
                "Die Lieferung von {m} entspricht nicht der Beschreibung, falsche Farbe und falsche Größe. Bestellung vom {d}.",
                "Das Produkt von {m} war beschädigt, Fotos habe ich angehängt.",
                "Ich glaube, {m} hat mir eine Fälschung geschickt.",
            ],
            "incorrect_amount": [
                "Meine Bestellung bei {m} hat {a} gekostet, Sie berechnen mir aber {x}.",
                "Ich hatte einen Rabattcode über 20 %, der Betrag müsste {y} sein und nicht {a}.",
                "Der Rechnungsbetrag für {m} stimmt nicht, der Versand war kostenlos und jetzt soll ich {x} statt {a} zahlen.",
            ],
            "duplicate_charge": [
                "Mir wurde die Bestellung bei {m} doppelt abgebucht, zweimal {k}.",
                "Hallo, Sie haben für einen Einkauf bei {m} am {d} zweimal {k} eingezogen. Bitte erstatten Sie eine Abbuchung.",
                "doppelte abbuchung von {m}!! {k} zweimal auf dem kontoauszug",
            ],
            "already_paid": [
                "Ich habe am {pd} {p} überwiesen, in der App steht die Rechnung aber noch als offen.",
                "Ich habe bereits bezahlt! Überweisung über {p} mit Verwendungszweck {r}. Warum bekomme ich Mahnungen?",
                "Meine Zahlung von {p} wurde nicht verbucht. Den Überweisungsbeleg habe ich.",
            ],
            "subscription_cancelled": [
                "Ich habe mein Abo bei {m} am {cd} gekündigt und trotzdem wurde wieder abgebucht.",
                "Warum zahle ich noch für {m}? Ich habe schon vor Wochen gekündigt.",
                "Trotz Kündigung bei {m} wurden {a} berechnet. Bitte erstatten.",
            ],
            "fee_dispute": [
                "Warum wurde mir eine Gebühr von {f} berechnet? Ich habe pünktlich gezahlt.",
                "Ich habe am {fd} eine Mahngebühr von {f} bekommen, obwohl ich nie eine Erinnerung erhalten habe.",
                "Bitte erlassen Sie mir die Mahngebühr über {f}, die Rechnung ist nie bei mir angekommen.",
            ],
            "unauthorized_purchase": [
                "In meinem Konto ist ein Kauf bei {m} über {a}, den ich nicht gemacht habe.",
                "Ich kenne die Bestellung bei {m} vom {d} nicht. Ich glaube, jemand hat mein Konto benutzt.",
                "Jemand hat in meinem Namen bei {m} bestellt ({a}). Bitte sperren Sie mein Konto.",
            ],
            "payment_change": [
                "Kann ich die nächste Rate ({i}, fällig am {du}) etwas später zahlen? Mein Gehalt kommt erst später.",
                "Ist es möglich, die Zahlung für {m} um eine Woche zu verschieben?",
                "Ich möchte das Zahlungsziel meiner Rechnung über {i} verlängern.",
            ],
            "payment_declined": [
                "Mein Einkauf bei {m} wurde an der Kasse abgelehnt, warum?",
                "Ich wollte bei {m} {a} bezahlen und bekomme immer Zahlung abgelehnt.",
                "Warum kann ich bei {m} nicht mehr mit Rechnung zahlen?",
            ],
            "financial_difficulty": [
                "Ich habe meinen Job verloren und kann die Rate von {i} gerade nicht zahlen.",
                "Ich bin im Moment in finanziellen Schwierigkeiten und kann am {du} nicht zahlen. Gibt es eine Ratenpause?",
                "Ich kann die Raten nicht mehr bezahlen, es ist gerade alles zu viel.",
            ],
            "general_inquiry": [
                "Wie ändere ich meine E-Mail-Adresse im Konto?",
                "Kann ich meinen Restbetrag vorzeitig ohne Zusatzkosten zahlen?",
                "Wo finde ich meine Rechnungen als PDF?",
                "Wie kann ich meine Telefonnummer in der App ändern?",
            ],
        ],
        "sv": [
            "item_not_received": [
                "Jag beställde från {m} den {d} ({a}) och paketet har fortfarande inte kommit. Spårningsnumret {t} hos {c} har stått still i flera dagar.",
                "Min beställning från {m} har aldrig kommit men jag ska redan betala {a}. Var är paketet?",
                "Paketet från {m} skulle komma senast {e}. Inget har kommit. Kan ni pausa betalningen?",
                "hej, mitt paket från {m} har inte kommit, {c} säger bara under transport ({t})",
                "Jag har inte fått min order från {m} från {d}, butiken verkar inte ens ha skickat den.",
            ],
            "return_not_refunded": [
                "Jag har skickat tillbaka varorna till {m} men ni vill fortfarande att jag betalar {a}.",
                "Returen till {m} skickades {rs} och fakturan på {a} är fortfarande öppen. Stoppa betalningen tack.",
                "Har returnerat allt och inte fått någon återbetalning. Varför fortsätter delbetalningarna?",
            ],
            "refund_not_received": [
                "{m} säger att de har återbetalat {a} den {rd} men jag ser ingenting på mitt konto.",
                "Butiken ({m}) har bekräftat en återbetalning men det står fortfarande {a} att betala.",
                "Jag fick mejl från {m} om att pengarna är återbetalda, men i appen syns inget.",
            ],
            "faulty_or_not_as_described": [
                "Varan från {m} kom trasig. Jag vill inte betala {a} för något som är sönder.",
                "Det {m} skickade stämmer inte alls med beskrivningen, fel färg och fel storlek. Beställd {d}.",
                "Produkten från {m} var skadad när den kom, bilder bifogade.",
                "Jag tror att {m} har skickat en förfalskning.",
            ],
            "incorrect_amount": [
                "Min beställning från {m} kostade {a} men ni tar {x}.",
                "Jag hade en rabattkod på 20 %, beloppet ska vara {y} och inte {a}.",
                "Fel belopp på fakturan från {m}, frakten skulle vara gratis men jag får betala {x} i stället för {a}.",
            ],
            "duplicate_charge": [
                "Jag har blivit debiterad två gånger för min beställning från {m}, {k} båda gångerna.",
                "Hej, ni har dragit {k} två gånger för samma köp hos {m} den {d}. Snälla återbetala den ena.",
                "dubbeldragning från {m}!! {k} två ggr på kontot",
            ],
            "already_paid": [
                "Jag betalade {p} den {pd} men i appen står fakturan fortfarande som obetald.",
                "Jag har redan betalat! {p} med OCR {r}. Varför får jag påminnelser?",
                "Min betalning på {p} syns inte. Jag har kvittot från banken.",
                "betalade fakturan för flera dagar sen ({p}) men den står som öppen",
            ],
            "subscription_cancelled": [
                "Jag sa upp mitt abonnemang hos {m} den {cd} men har blivit debiterad igen.",
                "Varför betalar jag fortfarande för {m}? Jag avslutade det för flera veckor sedan.",
                "Trots uppsägning hos {m} drogs {a}. Vill ha pengarna tillbaka.",
            ],
            "fee_dispute": [
                "Varför har jag fått en avgift på {f}? Jag betalade i tid.",
                "Jag fick en förseningsavgift på {f} den {fd} fast jag aldrig fick någon påminnelse.",
                "Ta bort påminnelseavgiften på {f}, fakturan kom aldrig fram till mig.",
            ],
            "unauthorized_purchase": [
                "Det finns ett köp hos {m} på {a} på mitt konto som jag inte har gjort.",
                "Jag känner inte igen en beställning från {m} den {d}. Jag tror någon har använt mitt konto.",
                "Någon har handlat i mitt namn hos {m} ({a}). Spärra mitt konto.",
            ],
            "payment_change": [
                "Kan jag flytta förfallodagen på nästa betalning ({i}, förfaller {du})? Lönen kommer några dagar senare.",
                "Går det att skjuta upp betalningen för {m}-köpet en vecka?",
                "Jag vill förlänga betalningstiden på min faktura på {i}.",
            ],
            "payment_declined": [
                "Mitt köp hos {m} nekades i kassan, varför?",
                "Jag försökte betala {a} hos {m} men betalningen godkändes inte.",
                "Varför kan jag inte längre välja faktura hos {m}?",
            ],
            "financial_difficulty": [
                "Jag har förlorat jobbet och kan inte betala delbetalningen på {i} just nu.",
                "Jag har det tufft ekonomiskt och kommer inte kunna betala {du}. Kan vi göra en avbetalningsplan?",
                "Jag klarar inte av betalningarna längre, det är för många räkningar den här månaden.",
            ],
            "general_inquiry": [
                "Hur ändrar jag min mejladress på kontot?",
                "Kan jag betala hela skulden i förtid utan extra kostnad?",
                "Var hittar jag mina fakturor som PDF?",
                "Hur byter jag telefonnummer i appen?",
            ],
        ],
        "nb": [
            "item_not_received": ["Jeg bestilte fra {m} {d} ({a}) og pakken har fortsatt ikke kommet. Sporingsnummer {t} hos {c} står stille."],
            "duplicate_charge": ["Jeg har blitt belastet to ganger for bestillingen fra {m}, {k} begge gangene."],
            "payment_change": ["Kan jeg utsette neste betaling på {i} som forfaller {du}?"],
            "general_inquiry": ["Hvordan endrer jeg e-postadressen på kontoen min?"],
        ],
        "da": [
            "item_not_received": ["Jeg bestilte hos {m} den {d} ({a}), og pakken er stadig ikke kommet."],
            "duplicate_charge": ["Jeg er blevet trukket to gange for min ordre hos {m}, {k} begge gange."],
            "fee_dispute": ["Hvorfor har jeg fået et gebyr på {f}? Jeg betalte til tiden."],
            "general_inquiry": ["Hvordan ændrer jeg min e-mailadresse på kontoen?"],
        ],
        "fi": [
            "item_not_received": ["Tilasin {m}:lta {d} ({a}), eikä paketti ole vieläkään tullut. Seurantakoodi {t}."],
            "duplicate_charge": ["Minulta veloitettiin kahdesti {m}:n tilauksesta, {k} molemmilla kerroilla."],
            "general_inquiry": ["Miten vaihdan sähköpostiosoitteeni?"],
        ],
        "nl": [
            "item_not_received": ["Ik heb op {d} bij {m} besteld ({a}) en het pakket is nog steeds niet aangekomen. Track & trace {t} van {c} staat stil."],
            "duplicate_charge": ["Ik ben twee keer afgeschreven voor mijn bestelling bij {m}, beide keren {k}."],
            "refund_not_received": ["{m} zegt dat ze {a} hebben terugbetaald, maar ik zie niets op mijn account."],
            "general_inquiry": ["Hoe verander ik mijn e-mailadres in mijn account?"],
        ],
    ]

    static let subjects: [String: [String: [String]]] = [
        "en": [
            "item_not_received": ["Order not received", "Where is my {m} order?", "Parcel missing"],
            "return_not_refunded": ["Returned but still charged", "Return to {m}"],
            "refund_not_received": ["Refund not showing", "Refund from {m}"],
            "faulty_or_not_as_described": ["Damaged item", "Wrong item from {m}"],
            "incorrect_amount": ["Wrong amount", "Invoice amount incorrect"],
            "duplicate_charge": ["Charged twice", "Double payment {m}"],
            "already_paid": ["Already paid", "Payment not registered"],
            "subscription_cancelled": ["Cancelled subscription still charged", "{m} subscription"],
            "fee_dispute": ["Unfair fee", "Late fee"],
            "unauthorized_purchase": ["Purchase I did not make", "Fraud on my account"],
            "payment_change": ["Change due date", "Postpone payment"],
            "payment_declined": ["Payment declined", "Declined at {m}"],
            "financial_difficulty": ["Can't pay", "Payment difficulties"],
            "general_inquiry": ["Question", "Account question"],
        ],
        "de": [
            "item_not_received": ["Bestellung nicht erhalten", "Wo bleibt meine Lieferung von {m}?"],
            "return_not_refunded": ["Retoure nicht gutgeschrieben", "Rücksendung an {m}"],
            "refund_not_received": ["Erstattung fehlt", "Rückerstattung {m}"],
            "faulty_or_not_as_described": ["Ware defekt", "Falscher Artikel von {m}"],
            "incorrect_amount": ["Falscher Betrag", "Rechnungsbetrag stimmt nicht"],
            "duplicate_charge": ["Doppelte Abbuchung", "Zweimal bezahlt bei {m}"],
            "already_paid": ["Bereits bezahlt", "Zahlung nicht verbucht"],
            "subscription_cancelled": ["Abo gekündigt, trotzdem abgebucht", "Kündigung {m}"],
            "fee_dispute": ["Mahngebühr", "Ungerechtfertigte Gebühr"],
            "unauthorized_purchase": ["Kauf nicht von mir", "Betrug"],
            "payment_change": ["Zahlungsaufschub", "Fälligkeit verschieben"],
            "payment_declined": ["Zahlung abgelehnt", "Abgelehnt bei {m}"],
            "financial_difficulty": ["Zahlungsschwierigkeiten", "Kann nicht zahlen"],
            "general_inquiry": ["Frage", "Frage zu meinem Konto"],
        ],
        "sv": [
            "item_not_received": ["Har inte fått min beställning", "Var är mitt paket från {m}?"],
            "return_not_refunded": ["Retur men fortfarande faktura", "Retur till {m}"],
            "refund_not_received": ["Återbetalning syns inte", "Återbetalning från {m}"],
            "faulty_or_not_as_described": ["Trasig vara", "Fel vara från {m}"],
            "incorrect_amount": ["Fel belopp", "Fakturan stämmer inte"],
            "duplicate_charge": ["Dubbeldragning", "Debiterad två gånger {m}"],
            "already_paid": ["Redan betalt", "Betalning syns inte"],
            "subscription_cancelled": ["Uppsagt abonnemang debiterat", "Abonnemang {m}"],
            "fee_dispute": ["Orimlig avgift", "Förseningsavgift"],
            "unauthorized_purchase": ["Köp som inte är mitt", "Bedrägeri"],
            "payment_change": ["Flytta förfallodag", "Skjuta upp betalning"],
            "payment_declined": ["Betalning nekad", "Nekad hos {m}"],
            "financial_difficulty": ["Kan inte betala", "Betalningssvårigheter"],
            "general_inquiry": ["Fråga", "Fråga om mitt konto"],
        ],
    ]

    static let orderMention: [String: [String]] = [
        "en": ["Order number: {o}", "(order {o})", "My order id is {o}."],
        "de": ["Bestellnummer: {o}", "(Bestellung {o})"],
        "sv": ["Ordernummer: {o}", "(order {o})"],
        "nb": ["Ordrenummer: {o}"],
        "da": ["Ordrenummer: {o}"],
        "fi": ["Tilausnumero: {o}"],
        "nl": ["Bestelnummer: {o}"],
    ]

    static func secrets(language: String, locale: String) -> [String] {
        let iban = locale.hasSuffix("DE") || locale.hasSuffix("AT") ? "DE89 3704 0044 0532 0130 00"
            : locale.hasSuffix("SE") ? "SE45 5000 0000 0583 9825 7466" : locale.hasSuffix("NL") ? "NL91 ABNA 0417 1643 00"
            : "GB82 WEST 1234 5698 7654 32"
        switch language {
        case "de": return ["Meine Karte ist 4111 1111 1111 1111.", "Mein Konto: IBAN \(iban).", "Karte 5555 5555 5555 4444, falls Sie das brauchen."]
        case "sv": return ["Mitt kort är 4111 1111 1111 1111.", "Mitt konto: IBAN \(iban).", "Kortnummer 4012888888881881 om ni behöver det."]
        default: return ["My card is 4111 1111 1111 1111.", "You can refund to my IBAN \(iban).", "card 5555555555554444 if you need it"]
        }
    }

    static let flagSentences: [String: [String: [String]]] = [
        "en": [
            "human_requested": ["Can I please talk to a real person?", "I want to speak to a human, not a bot.", "Please have someone call me."],
            "vulnerability": ["I've been in hospital for weeks and couldn't deal with any of this.", "My husband passed away last month and I'm struggling to keep up with everything.",
                              "I'm on sick leave for depression and this is really stressing me out."],
            "formal_complaint": ["I want to make a formal complaint.", "If this isn't fixed I will take it to the Financial Ombudsman."],
            "legal_threat": ["If this isn't sorted out I'll hand it to my lawyer.", "I'm prepared to take legal action over this."],
        ],
        "de": [
            "human_requested": ["Ich möchte bitte mit einem Menschen sprechen.", "Bitte rufen Sie mich an, ich will keinen Chatbot."],
            "vulnerability": ["Mein Mann ist letzten Monat gestorben und ich komme mit nichts hinterher.", "Ich bin seit Wochen krank und im Krankenhaus gewesen."],
            "formal_complaint": ["Hiermit reiche ich eine offizielle Beschwerde ein.", "Sonst wende ich mich an die Schlichtungsstelle und die BaFin."],
            "legal_threat": ["Andernfalls schalte ich meinen Anwalt ein.", "Ich behalte mir rechtliche Schritte vor."],
        ],
        "sv": [
            "human_requested": ["Jag vill prata med en riktig människa.", "Kan någon ringa mig?"],
            "vulnerability": ["Jag är sjukskriven för depression och orkar inte med det här.", "Min mamma dog förra månaden och jag har inte haft ork med något."],
            "formal_complaint": ["Jag vill lämna in ett formellt klagomål.", "Annars vänder jag mig till ARN och Finansinspektionen."],
            "legal_threat": ["Annars kontaktar jag en advokat.", "Jag kommer att gå vidare rättsligt om det behövs."],
        ],
    ]

    struct Frame { var greeting, closing, chatOpen: [String] }

    static let frames: [String: Frame] = [
        "en": Frame(greeting: ["Hello,", "Hi,", "Dear Ombud team,", "Good morning,"], closing: ["Kind regards,", "Thanks,", "Best,"],
                    chatOpen: ["hi", "Hello!", "hey,"]),
        "de": Frame(greeting: ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,"], closing: ["Viele Grüße", "Mit freundlichen Grüßen", "Danke und Gruß"],
                    chatOpen: ["hallo", "Hi,", "Guten Tag,"]),
        "sv": Frame(greeting: ["Hej,", "Hej!", "Hejsan,"], closing: ["Mvh", "Med vänliga hälsningar", "Tack på förhand"], chatOpen: ["hej", "Hej!", "hallå"]),
        "nb": Frame(greeting: ["Hei,"], closing: ["Mvh"], chatOpen: ["hei"]),
        "da": Frame(greeting: ["Hej,"], closing: ["Venlig hilsen"], chatOpen: ["hej"]),
        "fi": Frame(greeting: ["Hei,"], closing: ["Ystävällisin terveisin"], chatOpen: ["moi"]),
        "nl": Frame(greeting: ["Beste,", "Hallo,"], closing: ["Met vriendelijke groet"], chatOpen: ["hoi"]),
    ]

    static let followUps: [String: [String]] = [
        "en": ["Any update on this? I wrote to you about {m} earlier and haven't heard back.",
               "Still waiting for an answer about my {m} order. This is taking too long.",
               "Following up on my message from earlier, nothing has changed in the app."],
        "de": ["Gibt es hierzu schon Neuigkeiten? Ich hatte wegen {m} bereits geschrieben.",
               "Ich warte immer noch auf eine Antwort wegen meiner Bestellung bei {m}."],
        "sv": ["Något nytt om det här? Jag skrev tidigare om {m}.",
               "Väntar fortfarande på svar angående min beställning från {m}."],
    ]
}
