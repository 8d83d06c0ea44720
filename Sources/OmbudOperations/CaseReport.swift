import Foundation

/// Renders what `AgentDesk` reads for people (`ombudctl case show`, `ombudctl agent queue`) and as JSON.
public enum CaseReport {
    /// The case as text: a header, the hand-off summary (when escalated), the actions, then the timeline, one entry
    /// per line with its important fields (long text indented and wrapped to `width`).
    public static func render(overview: AgentDesk.CaseOverview, timeline: [AgentDesk.TimelineEntry],
                              now: Date = Date(), width: Int = 100) -> String {
        var lines: [String] = []
        let o = overview
        lines.append("case \(o.caseId.uuidString.lowercased())  \(o.status.uppercased())  (stage \(o.stage))")
        var intent = o.intent ?? "—"
        if let confidence = o.intentConfidence { intent += " (p \(format(confidence)))" }
        lines.append(field("intent", intent + "   language \(o.language ?? "—")"
                           + (o.rule.map { "   rule \($0)" } ?? "") + (o.outcome.map { "   outcome \($0)" } ?? "")))
        if o.team != nil || o.priority != nil || o.firstResponseDue != nil {
            var routing = "team \(o.team ?? "—")   priority \(o.priority.map(String.init) ?? "—")"
            if let due = o.firstResponseDue { routing += "   first response due \(timestamp(due)) (\(relative(due, now: now)))" }
            if let due = o.regulatoryDue { routing += "   regulatory due \(timestamp(due)) (\(relative(due, now: now)))" }
            lines.append(field("routing", routing))
        }
        var assignee = o.assignee ?? "unassigned"
        if let claimed = o.claimedAt { assignee += " since \(timestamp(claimed))" }
        if let closed = o.closedAt {
            assignee += "; closed \(timestamp(closed)) as \(o.closeOutcome ?? "—")" + (o.closeNote.map { " — \($0)" } ?? "")
        }
        lines.append(field("assignee", assignee))
        var customer = o.customerRef
        if let id = o.customerId, id != o.customerRef { customer += " (ledger \(id))" }
        customer += "   order \(o.orderId ?? "—")   channel \(o.channel)" + (o.threadId.map { "   thread \($0)" } ?? "")
            + "   contacts \(o.contacts)"
        lines.append(field("customer", customer))
        lines.append(field("created", "\(timestamp(o.createdAt))   updated \(timestamp(o.updatedAt))"))

        if let summary = o.handoffSummary, !summary.isEmpty {
            lines.append("")
            lines.append("hand-off summary")
            lines.append(contentsOf: wrap(summary, indent: 2, width: width))
        }

        lines.append("")
        if o.actions.isEmpty {
            lines.append("actions: none")
        } else {
            lines.append("actions")
            for action in o.actions {
                lines.append("  \(action.kind) \(action.target)  \(action.status)" + (action.result.isEmpty ? "" : "  — \(action.result)"))
            }
        }

        lines.append("")
        lines.append("timeline")
        if timeline.isEmpty { lines.append("  (empty)") }
        for entry in timeline {
            let head = "  \(timestamp(entry.at, milliseconds: true))  \(entry.stage.padded(9)) \(entry.kind.padded(16))"
            let (summary, more) = describe(entry)
            lines.append(head + summary)
            for (label, text) in more {
                lines.append(contentsOf: wrap(label.isEmpty ? text : "\(label): \(text)", indent: 6, width: width))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `{"overview": …, "timeline": […]}`, pretty-printed with sorted keys and ISO 8601 times.
    public static func json(overview: AgentDesk.CaseOverview, timeline: [AgentDesk.TimelineEntry]) throws -> String {
        struct Document: Encodable {
            var overview: AgentDesk.CaseOverview
            var timeline: [AgentDesk.TimelineEntry]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            var container = encoder.singleValueContainer()
            try container.encode(formatter.string(from: date))
        }
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let text = String(decoding: try encoder.encode(Document(overview: overview, timeline: timeline)), as: UTF8.self)
        // Foundation writes UUIDs in upper case; the database and every other command print them in lower case.
        let uuid = /"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"/
        return text.replacing(uuid) { $0.output.lowercased() }
    }

    /// The agent queue as a table; "overdue" marks first responses past due.
    public static func queueTable(_ entries: [AgentDesk.QueueEntry], now: Date = Date()) -> String {
        guard !entries.isEmpty else { return "queue empty" }
        let header = ["case", "team", "prio", "lang", "first response due", "regulatory due", "status", "intent", "customer wants"]
        let rows: [[String]] = entries.map { e in
            [e.caseId.uuidString.lowercased(), e.team ?? "—", e.priority.map { "P\($0)" } ?? "—", e.language ?? "—",
             e.firstResponseDue.map { timestamp($0, seconds: false) + (e.isOverdue(at: now) ? " overdue" : "") } ?? "—",
             e.regulatoryDue.map { timestamp($0, seconds: false) } ?? "—",
             e.status == "claimed" ? "claimed by \(e.assignee ?? "?")" : "waiting",
             e.intent ?? "—", (e.customerWants ?? e.reason ?? "").truncated(60)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.offset == cells.count - 1 ? $0.element : $0.element.padded(widths[$0.offset] + 1) }
                .joined(separator: " ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    // MARK: Timeline entries

    /// The one-line summary of an entry and the labelled lines under it.
    static func describe(_ entry: AgentDesk.TimelineEntry) -> (String, [(String, String)]) {
        let d = entry.detail
        func s(_ key: String) -> String? {
            guard let value = d[key], !value.isNull else { return nil }
            let text = value.plain
            return text.isEmpty ? nil : text
        }
        func number(_ key: String) -> String? {
            if case .number(let value)? = d[key] { return format(value) }
            return s(key)
        }
        var more: [(String, String)] = []
        switch entry.kind {
        case "ticket":
            var line = "\(s("channel") ?? "?") \(s("external_id") ?? "?")"
            if let language = s("language") { line += "  language \(language)" }
            if let received = s("received_at") { line += "  received \(received)" }
            if let order = s("order_ref") { line += "  order ref \(order)" }
            if let subject = s("subject") { more.append(("subject", subject)) }
            if let body = d["body"]?.string { more.append(("", body)) }
            if let attachments = d["attachments"]?.array, !attachments.isEmpty {
                more.append(("attachments", attachments.map { $0["name"]?.plain ?? $0.plain }.joined(separator: ", ")))
            }
            if let redactions = d["redactions"]?.array, !redactions.isEmpty {
                more.append(("redacted", redactions.map(\.plain).joined(separator: "; ")))
            }
            return (line, more)
        case "classification":
            var line = "\(s("intent") ?? "?") p \(number("confidence") ?? "?")"
            if let sentiment = s("sentiment") { line += "  sentiment \(sentiment) (\(number("sentiment_score") ?? "?"))" }
            if let model = s("model_version") { line += "  model \(model)" }
            if let ranked = d["ranked"]?.array, !ranked.isEmpty {
                more.append(("runners-up", ranked.map { r in
                    "\(r["intent"]?.plain ?? "?") \(r["p"].map { if case .number(let p) = $0 { format(p) } else { $0.plain } } ?? "")"
                }.joined(separator: ", ")))
            }
            if let flags = d["flags"]?.array, !flags.isEmpty { more.append(("flags", flags.map(\.plain).joined(separator: ", "))) }
            if let evidence = d["flag_evidence"], !(evidence.array?.isEmpty ?? false), !evidence.isNull {
                more.append(("evidence", (evidence.array ?? [evidence]).map { item in
                    guard let flag = item["flag"]?.string, let text = item["evidence"]?.plain else { return item.plain }
                    return "\(flag) “\(text)”" + (item["score"].map { " (\($0.plain))" } ?? "")
                }.joined(separator: "; ")))
            }
            if let entities = d["entities"]?.object {
                let present = entities.keys.sorted().filter { key in
                    guard let value = entities[key] else { return false }
                    return !(value.isNull || value.array?.isEmpty == true || value.object?.isEmpty == true)
                }
                if !present.isEmpty {
                    // An entity found in the text is shown as that text ("249 euros"), else as its fields.
                    func entity(_ value: AgentJSON) -> String {
                        value["text"]?.string ?? value.plain
                    }
                    more.append(("entities", present.map { key in
                        "\(key): " + (entities[key]!.array?.map(entity).joined(separator: ", ") ?? entity(entities[key]!))
                    }.joined(separator: "; ")))
                }
            }
            return (line, more)
        case "match":
            var line = s("result") ?? "?"
            if let order = s("order_id") { line += "  order \(order)" }
            if let customer = s("customer_id") { line += "  customer \(customer)" }
            if let candidates = d["candidates"]?.array, !candidates.isEmpty {
                more.append(("candidates", candidates.map(\.plain).joined(separator: ", ")))
            }
            if let reasons = d["reasons"], reasons.object?.isEmpty != true, !reasons.isNull {
                more.append(("reasons", reasons.plain))
            }
            return (line, more)
        case "decision":
            var line = "\(s("rule") ?? "?") → \(s("outcome") ?? "?")"
            if let policy = s("policy_version") { line += "  policy \(policy)" }
            if let team = s("team") { line += "  team \(team)" }
            if let priority = s("priority") { line += "  P\(priority)" }
            if let explanation = s("explanation") { more.append(("", explanation)) }
            if let recommendation = s("recommendation") { more.append(("recommendation", recommendation)) }
            return (line, more)
        case "action":
            var line = "\(s("kind") ?? "?") \(s("target") ?? "")  \(s("status") ?? "?")"
            if let amount = number("amount") { line += "  \(amount) \(s("currency") ?? "")" }
            if let days = s("days") { line += "  \(days) days" }
            if let result = s("result") { more.append(("result", result)) }
            return (line, more)
        case "reply":
            let line = "\(s("outcome") ?? "?")  language \(s("language") ?? "?")  template \(s("template") ?? "?")"
            if let text = d["text"]?.string { more.append(("", text)) }
            return (line, more)
        case "escalation":
            var line = "team \(s("team") ?? "?")  P\(s("priority") ?? "?")  language \(s("language") ?? "?")"
            if let due = s("first_response_due") { line += "  first response due \(due)" }
            if let due = s("regulatory_due") { line += "  regulatory due \(due)" }
            if let reason = s("reason") { more.append(("reason", reason)) }
            return (line, more)
        default:
            // Runtime and agent events (parked, claimed, closed, …): their detail as key: value pairs.
            return (d.object?.isEmpty == true ? "" : d.plain, more)
        }
    }

    // MARK: Formatting

    static func field(_ label: String, _ value: String) -> String { "  " + label.padded(10) + value }

    /// `2026-11-21 19:50:01Z` (UTC); `19:50:01.123Z` with milliseconds, `19:50Z` without seconds.
    static func timestamp(_ date: Date, seconds: Bool = true, milliseconds: Bool = false) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = milliseconds ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        var text = formatter.string(from: date).replacingOccurrences(of: "T", with: " ")
        if !seconds, text.count == 20 { text = String(text.prefix(16)) + "Z" }
        return text
    }

    /// "in 3h 05m" or "overdue 12m".
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = Int(date.timeIntervalSince(now))
        let minutes = abs(seconds) / 60
        let text = minutes >= 24 * 60 ? "\(minutes / 1440)d \(minutes % 1440 / 60)h"
            : minutes >= 60 ? "\(minutes / 60)h \(String(format: "%02d", minutes % 60))m" : "\(minutes)m"
        return seconds < 0 ? "overdue \(text)" : "in \(text)"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(format: "%.2f", value)
    }

    /// Wraps `text` at word boundaries to `width`, each line indented; the text's own line breaks are kept.
    static func wrap(_ text: String, indent: Int, width: Int) -> [String] {
        let prefix = String(repeating: " ", count: indent)
        let room = max(20, width - indent)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // The paragraph's own indentation is kept; a list item ("- …") continues under its text, not the dash.
            let leading = String(paragraph.prefix { $0 == " " })
            let hanging = paragraph.dropFirst(leading.count).hasPrefix("- ") ? leading + "  " : leading
            var current = leading
            var fresh = true
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                if !fresh, current.count + 1 + word.count > room {
                    lines.append(prefix + current)
                    current = hanging
                    fresh = true
                }
                current += (fresh ? "" : " ") + word
                fresh = false
            }
            lines.append(prefix + current)
        }
        return lines
    }
}

extension String {
    fileprivate func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
    fileprivate func truncated(_ length: Int) -> String { count <= length ? self : String(prefix(length - 1)) + "…" }
}
