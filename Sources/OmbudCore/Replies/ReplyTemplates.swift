/// Reply texts per template and language. Placeholders: {order} {merchant} {amount} {date}
/// {carrier} {tracking} {days} {article} {response_time} {due}.
enum ReplyTemplates {
    static let texts: [String: [ReplyLanguage: String]] = [
        "matching.order_missing.ask_order": [
            .en: "Thanks for getting in touch. Which order is this about? Please send us the order number from your confirmation e-mail and we will take it from there.",
            .de: "Danke für Ihre Nachricht. Um welche Bestellung geht es? Bitte senden Sie uns die Bestellnummer aus Ihrer Bestätigungs-E-Mail, dann kümmern wir uns darum.",
            .sv: "Tack för att du hörde av dig. Vilken beställning gäller det? Skicka oss ordernumret från din orderbekräftelse så tar vi det därifrån.",
        ],
        "resolution.duplicate_charge.refund_later_capture": [
            .en: "You were charged twice for your order {order} from {merchant}. We have refunded the duplicate charge of {amount}; it will show on your account within a few days.",
            .de: "Ihre Bestellung {order} bei {merchant} wurde doppelt belastet. Wir haben die doppelte Belastung von {amount} erstattet; sie erscheint in wenigen Tagen auf Ihrem Konto.",
            .sv: "Din beställning {order} från {merchant} debiterades två gånger. Vi har återbetalat den dubbla debiteringen på {amount}; den syns på ditt konto inom några dagar.",
        ],
        "resolution.item_not_received.merchant_dispute": [
            .en: "We are sorry your order {order} from {merchant} has not arrived. We have paused your payments for {days} days and opened a dispute with the merchant. You do not need to pay while we look into it.",
            .de: "Es tut uns leid, dass Ihre Bestellung {order} bei {merchant} nicht angekommen ist. Wir haben Ihre Zahlungen für {days} Tage pausiert und beim Händler einen Klärungsfall eröffnet. Solange wir das prüfen, müssen Sie nichts zahlen.",
            .sv: "Vi beklagar att din beställning {order} från {merchant} inte har kommit fram. Vi har pausat dina betalningar i {days} dagar och öppnat ett ärende mot handlaren. Du behöver inte betala medan vi utreder saken.",
        ],
        "resolution.item_not_received.in_transit": [
            .en: "Your order {order} from {merchant} is on its way with {carrier} (tracking number {tracking}) and is expected on {date}. If it has not arrived by then, just reply to this message.",
            .de: "Ihre Bestellung {order} bei {merchant} ist mit {carrier} unterwegs (Sendungsnummer {tracking}) und wird am {date} erwartet. Falls sie bis dahin nicht ankommt, antworten Sie einfach auf diese Nachricht.",
            .sv: "Din beställning {order} från {merchant} är på väg med {carrier} (spårningsnummer {tracking}) och väntas fram {date}. Om den inte har kommit då kan du bara svara på det här meddelandet.",
        ],
        "resolution.item_not_received.awaiting_shipment": [
            .en: "Your order {order} from {merchant} has not been shipped yet. The merchant has until {date} to send it; if nothing has happened by then, reply and we will pause your payments and open a dispute.",
            .de: "Ihre Bestellung {order} bei {merchant} wurde noch nicht versandt. Der Händler hat bis zum {date} Zeit; wenn bis dahin nichts passiert, antworten Sie uns und wir pausieren Ihre Zahlungen und eröffnen einen Klärungsfall.",
            .sv: "Din beställning {order} från {merchant} har inte skickats än. Handlaren har till {date} på sig; om inget har hänt då, svara oss så pausar vi dina betalningar och öppnar ett ärende.",
        ],
        "resolution.return_not_refunded.notify_merchant": [
            .en: "Thanks for letting us know about your return for order {order} from {merchant}. We have paused your payments for {days} days and asked the merchant to confirm the return and refund you.",
            .de: "Danke für den Hinweis zu Ihrer Rücksendung der Bestellung {order} bei {merchant}. Wir haben Ihre Zahlungen für {days} Tage pausiert und den Händler gebeten, die Rücksendung zu bestätigen und Ihnen zu erstatten.",
            .sv: "Tack för att du berättade om din retur av beställning {order} från {merchant}. Vi har pausat dina betalningar i {days} dagar och bett handlaren bekräfta returen och återbetala dig.",
        ],
        "resolution.return_not_refunded.merchant_dispute": [
            .en: "Your return for order {order} reached {merchant} a while ago and no refund has been made. We have paused your payments for {days} days, notified the merchant and opened a dispute.",
            .de: "Ihre Rücksendung der Bestellung {order} ist schon vor einiger Zeit bei {merchant} angekommen, eine Erstattung gab es nicht. Wir haben Ihre Zahlungen für {days} Tage pausiert, den Händler informiert und einen Klärungsfall eröffnet.",
            .sv: "Din retur av beställning {order} kom fram till {merchant} för ett tag sedan utan att du fått någon återbetalning. Vi har pausat dina betalningar i {days} dagar, meddelat handlaren och öppnat ett ärende.",
        ],
        "resolution.refund_not_received.refund_recorded": [
            .en: "{merchant} refunded {amount} for order {order} on {date}. The refund has been applied to your payment plan, so your remaining payments are lower or already settled.",
            .de: "{merchant} hat am {date} {amount} für die Bestellung {order} erstattet. Die Erstattung wurde mit Ihrem Zahlungsplan verrechnet, Ihre restlichen Zahlungen sind also niedriger oder bereits beglichen.",
            .sv: "{merchant} återbetalade {amount} för beställning {order} den {date}. Återbetalningen har dragits av på din betalplan, så dina återstående betalningar är lägre eller redan klara.",
        ],
        "resolution.refund_not_received.notify_merchant": [
            .en: "We cannot see a refund from {merchant} for order {order} yet. We have paused your payments for {days} days and asked the merchant to send it.",
            .de: "Wir sehen noch keine Erstattung von {merchant} für die Bestellung {order}. Wir haben Ihre Zahlungen für {days} Tage pausiert und den Händler um die Erstattung gebeten.",
            .sv: "Vi ser ännu ingen återbetalning från {merchant} för beställning {order}. Vi har pausat dina betalningar i {days} dagar och bett handlaren skicka den.",
        ],
        "resolution.faulty_or_not_as_described.request_evidence": [
            .en: "We are sorry about the problem with order {order} from {merchant}. We have paused your payments for {days} days. Please reply with photos of the item and a short description of what is wrong.",
            .de: "Das Problem mit Ihrer Bestellung {order} bei {merchant} tut uns leid. Wir haben Ihre Zahlungen für {days} Tage pausiert. Bitte antworten Sie mit Fotos des Artikels und einer kurzen Beschreibung des Mangels.",
            .sv: "Vi beklagar problemet med beställning {order} från {merchant}. Vi har pausat dina betalningar i {days} dagar. Svara gärna med bilder på varan och en kort beskrivning av vad som är fel.",
        ],
        "resolution.incorrect_amount.refund_difference": [
            .en: "You were charged more than the total of order {order} from {merchant}. We have refunded the difference of {amount}.",
            .de: "Für Ihre Bestellung {order} bei {merchant} wurde mehr als der Bestellbetrag belastet. Wir haben die Differenz von {amount} erstattet.",
            .sv: "Du debiterades mer än totalbeloppet för beställning {order} från {merchant}. Vi har återbetalat mellanskillnaden på {amount}.",
        ],
        "resolution.already_paid.apply_payment": [
            .en: "We found your payment of {amount} from {date} and have applied it to your plan for order {order}. Any fees charged after that payment have been removed.",
            .de: "Wir haben Ihre Zahlung über {amount} vom {date} gefunden und Ihrem Zahlungsplan für die Bestellung {order} zugeordnet. Gebühren, die danach berechnet wurden, haben wir erlassen.",
            .sv: "Vi hittade din betalning på {amount} från {date} och har kopplat den till din betalplan för beställning {order}. Avgifter som togs ut efter betalningen har strukits.",
        ],
        "resolution.already_paid.ask_receipt": [
            .en: "We cannot find your payment yet. Please reply with the receipt or bank statement showing the payment (amount, date and reference) and we will look it up.",
            .de: "Wir können Ihre Zahlung noch nicht finden. Bitte senden Sie uns den Beleg oder Kontoauszug mit Betrag, Datum und Verwendungszweck, dann suchen wir sie.",
            .sv: "Vi hittar inte din betalning än. Svara gärna med kvittot eller kontoutdraget som visar betalningen (belopp, datum och referens) så letar vi upp den.",
        ],
        "resolution.subscription_cancelled.refund_capture": [
            .en: "You cancelled your subscription with {merchant} on {date}, so you should not have been charged afterwards. We have refunded {amount}.",
            .de: "Sie haben Ihr Abo bei {merchant} am {date} gekündigt, danach hätte nichts mehr belastet werden dürfen. Wir haben {amount} erstattet.",
            .sv: "Du sade upp din prenumeration hos {merchant} den {date}, så du skulle inte ha debiterats efter det. Vi har återbetalat {amount}.",
        ],
        "resolution.fee_dispute.waive_paused_or_disputed": [
            .en: "The fee of {amount} from {date} was charged while your payments were paused or under dispute. That should not happen, so we have removed it.",
            .de: "Die Gebühr von {amount} vom {date} wurde berechnet, während Ihre Zahlungen pausiert waren oder ein Klärungsfall lief. Das hätte nicht passieren dürfen, wir haben sie erlassen.",
            .sv: "Avgiften på {amount} från {date} togs ut medan dina betalningar var pausade eller under utredning. Det ska inte hända, så vi har strukit den.",
        ],
        "resolution.fee_dispute.waive_goodwill": [
            .en: "We have removed the fee of {amount} from {date} as a one-time goodwill gesture. To avoid fees, you can pay on the due date or change the payment date in the app.",
            .de: "Wir haben die Gebühr von {amount} vom {date} einmalig aus Kulanz erlassen. Um Gebühren zu vermeiden, zahlen Sie bitte zum Fälligkeitstag oder ändern Sie das Zahlungsdatum in der App.",
            .sv: "Vi har strukit avgiften på {amount} från {date} som en engångsgest. För att undvika avgifter kan du betala på förfallodagen eller ändra betaldatum i appen.",
        ],
        "resolution.fee_dispute.explain_fee": [
            .en: "The fee of {amount} from {date} was charged because the payment was not received by its due date. We cannot remove it this time, but you can change upcoming payment dates in the app.",
            .de: "Die Gebühr von {amount} vom {date} wurde berechnet, weil die Zahlung nicht bis zum Fälligkeitstag eingegangen ist. Diesmal können wir sie nicht erlassen, aber Sie können kommende Zahlungstermine in der App ändern.",
            .sv: "Avgiften på {amount} från {date} togs ut eftersom betalningen inte kom in till förfallodagen. Vi kan inte stryka den den här gången, men du kan ändra kommande betaldatum i appen.",
        ],
        "resolution.fee_dispute.no_open_fee": [
            .en: "We cannot see any open fee on your account. If you were charged a fee, please reply with the date and amount.",
            .de: "Wir sehen keine offene Gebühr auf Ihrem Konto. Falls Ihnen eine Gebühr berechnet wurde, nennen Sie uns bitte Datum und Betrag.",
            .sv: "Vi ser ingen obetald avgift på ditt konto. Om du har debiterats en avgift, svara med datum och belopp.",
        ],
        "resolution.payment_change.extend_due_date": [
            .en: "Done: your next payment for order {order} has been moved by {days} days and is now due on {date}. There is no charge for this.",
            .de: "Erledigt: Ihre nächste Zahlung für die Bestellung {order} wurde um {days} Tage verschoben und ist jetzt am {date} fällig. Das ist kostenlos.",
            .sv: "Klart: din nästa betalning för beställning {order} har flyttats {days} dagar och förfaller nu {date}. Det kostar ingenting.",
        ],
        "resolution.payment_declined.explain": [
            .en: "Sorry that your purchase was declined. Each purchase is assessed on its own, so a decline is not a judgement of you, and we cannot share the details here. You are welcome to try again later or use another payment method.",
            .de: "Schade, dass Ihr Kauf abgelehnt wurde. Jeder Kauf wird einzeln geprüft; eine Ablehnung ist kein Urteil über Sie, und die Details können wir hier nicht nennen. Sie können es später erneut versuchen oder eine andere Zahlungsart wählen.",
            .sv: "Tråkigt att ditt köp nekades. Varje köp bedöms för sig, så ett nekande är ingen bedömning av dig, och vi kan inte dela detaljerna här. Du är välkommen att försöka igen senare eller välja ett annat betalsätt.",
        ],
        "resolution.general_inquiry.answer": [
            .en: "Thanks for your question. This help article answers it: {article}. Reply if anything is still unclear.",
            .de: "Danke für Ihre Frage. Dieser Hilfeartikel beantwortet sie: {article}. Antworten Sie gern, wenn noch etwas unklar ist.",
            .sv: "Tack för din fråga. Den här hjälpartikeln svarar på den: {article}. Svara gärna om något fortfarande är oklart.",
        ],
        // Holding replies for escalations.
        "escalation.holding": [
            .en: "Thanks, we have passed your case to a specialist who already has all the details, so you will not need to repeat anything. You can expect an answer within {response_time}.",
            .de: "Danke, wir haben Ihr Anliegen an eine Fachkraft übergeben, die alle Details bereits kennt, Sie müssen also nichts wiederholen. Sie erhalten innerhalb von {response_time} eine Antwort.",
            .sv: "Tack, vi har lämnat över ditt ärende till en specialist som redan har alla detaljer, så du behöver inte upprepa något. Du kan räkna med svar inom {response_time}.",
        ],
        "escalation.fraud": [
            .en: "Thank you for telling us. To protect you we have frozen your account and paused payments on the purchase in question. Our fraud team will contact you within {response_time}.",
            .de: "Danke für Ihre Meldung. Zu Ihrem Schutz haben wir Ihr Konto gesperrt und die Zahlungen für den betroffenen Kauf pausiert. Unser Betrugsteam meldet sich innerhalb von {response_time} bei Ihnen.",
            .sv: "Tack för att du berättade. För att skydda dig har vi fryst ditt konto och pausat betalningarna för köpet det gäller. Vårt bedrägeriteam kontaktar dig inom {response_time}.",
        ],
        "escalation.care": [
            .en: "Thank you for telling us, and we are sorry you are going through this. We have paused your overdue payments and stopped new fees while a member of our care team looks at your situation. They will contact you within {response_time}.",
            .de: "Danke, dass Sie uns das mitteilen, und es tut uns leid, dass Sie das durchmachen. Wir haben Ihre überfälligen Zahlungen pausiert und neue Gebühren gestoppt, während sich unser Betreuungsteam Ihre Situation ansieht. Es meldet sich innerhalb von {response_time}.",
            .sv: "Tack för att du berättar, och vi beklagar att du har det så. Vi har pausat dina förfallna betalningar och stoppat nya avgifter medan någon i vårt stödteam ser över din situation. De kontaktar dig inom {response_time}.",
        ],
        "escalation.complaint": [
            .en: "We have received your complaint and registered it. A member of our complaints team will contact you within {response_time}, and you will receive our final response no later than {due}.",
            .de: "Wir haben Ihre Beschwerde erhalten und registriert. Unser Beschwerdeteam meldet sich innerhalb von {response_time}; unsere abschließende Antwort erhalten Sie spätestens am {due}.",
            .sv: "Vi har tagit emot och registrerat ditt klagomål. Någon i vårt klagomålsteam kontaktar dig inom {response_time}, och du får vårt slutliga svar senast {due}.",
        ],
    ]

    static let hours: [ReplyLanguage: (one: String, many: String)] = [
        .en: ("1 hour", "%d hours"),
        .de: ("1 Stunde", "%d Stunden"),
        .sv: ("1 timme", "%d timmar"),
    ]
}
