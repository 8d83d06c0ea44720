import Foundation
import OmbudCore
import OmbudOperations

/// The case page: the hand-off summary first (what the agent needs before anything else), then the case's state with
/// its countdowns, the actions, the ledger, internal notes, the timeline (paged) and the audit of agent actions.
struct CaseView: Sendable {
    var overview: AgentDesk.CaseOverview
    var timeline: ConsoleStore.TimelinePage
    var timelinePage: Int
    var pageSize: Int
    var notes: [ConsoleStore.Note]
    var audit: [ConsoleStore.AuditEntry]
    var ledger: LedgerFacts?
    var agent: Agent
    var csrf: String
    var replyNonce: String
    var now: Date
    var notice: Markup

    func render() -> String {
        let id = overview.caseId.uuidString.lowercased()
        let main: Markup = """
            <h1>Case <span class="case-id">\(id)</span></h1>
            \(notice)
            <section id="handoff" aria-labelledby="handoff-h">
            <h2 id="handoff-h">Hand-off summary</h2>
            <div class="summary">\(overview.handoffSummary, or: "No hand-off summary: this case was not escalated by the pipeline.")</div>
            </section>
            \(state)
            \(actions)
            \(ledgerPanel)
            \(notesPanel)
            \(timelinePanel)
            \(auditPanel)
            """
        return Layout.page(title: "Case " + String(id.prefix(8)), agent: agent, main: main)
    }

    private var state: Markup {
        let o = overview
        return """
            <section id="state" aria-labelledby="state-h">
            <h2 id="state-h">Case</h2>
            <dl class="facts">
            <dt>Status</dt><dd id="case-status">\(Layout.statusText(o.status, assignee: o.assignee))</dd>
            <dt>Team</dt><dd>\(o.team)</dd>
            <dt>Priority</dt><dd>\(Layout.priority(o.priority))</dd>
            <dt>First response</dt><dd>\(o.status == "closed" ? Markup(raw: "closed") : Layout.countdown(o.firstResponseDue, now: now, label: "First response due"))</dd>
            <dt>Regulatory final response</dt><dd>\(o.regulatoryDue == nil ? Markup(raw: "none") : Layout.countdown(o.regulatoryDue, now: now, label: "Regulatory final response due"))</dd>
            <dt>Customer</dt><dd>\(o.customerRef)\(o.customerId.map { " (ledger \($0))" } ?? "")</dd>
            <dt>Order</dt><dd>\(o.orderId)</dd>
            <dt>Channel</dt><dd>\(o.channel)</dd>
            <dt>Intent</dt><dd>\(o.intent)</dd>
            <dt>Language</dt><dd>\(o.language)</dd>
            <dt>Contacts</dt><dd>\(o.contacts)</dd>
            <dt>Opened</dt><dd>\(Layout.time(o.createdAt))</dd>
            \(o.closedAt == nil ? Markup(raw: "") : closed)
            </dl>
            </section>
            """
    }

    private var closed: Markup {
        let note = overview.closeNote.map { " — " + $0 } ?? ""
        return "<dt>Closed</dt><dd>\(Layout.time(overview.closedAt)): \(overview.closeOutcome)\(note)</dd>"
    }

    private func hidden() -> Markup { "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">" }

    private var actions: Markup {
        let id = overview.caseId.uuidString.lowercased()
        let holds = overview.status == "claimed" && overview.assignee == agent.name
        var forms: [Markup] = []
        if overview.status == "escalated" {
            forms.append("""
                <form action="/cases/\(id)/claim" method="post">\(hidden())<button type="submit">Claim this case</button></form>
                """)
        }
        if holds {
            let outcomes = Markup.join(AgentDesk.outcomes.map { QueueView.option($0, $0.replacingOccurrences(of: "_", with: " "), selected: $0 == "resolved") })
            forms.append("""
                <form class="reply" action="/cases/\(id)/reply" method="post">\(hidden())
                <input type="hidden" name="nonce" value="\(replyNonce)">
                <label for="reply-text">Reply to the customer (sent on \(overview.channel))</label>
                <textarea id="reply-text" name="text" rows="5" required maxlength="10000"></textarea>
                <button type="submit">Send reply</button>
                </form>
                <form class="close" action="/cases/\(id)/close" method="post">\(hidden())
                <label for="close-outcome">Outcome</label> <select id="close-outcome" name="outcome">\(outcomes)</select>
                <label for="close-note">Closing note</label> <input id="close-note" name="note" type="text" maxlength="2000">
                <button type="submit">Close case</button>
                </form>
                """)
        }
        if overview.status == "escalated" || overview.status == "claimed", holds || agent.isSupervisor {
            let team: Markup = agent.isSupervisor ? """
                <label for="reassign-team">Team (optional)</label> <input id="reassign-team" name="team" type="text" maxlength="64">
                """ : ""
            forms.append("""
                <form class="reassign" action="/cases/\(id)/reassign" method="post">\(hidden())
                <label for="reassign-to">Reassign to (login)</label> <input id="reassign-to" name="to" type="text" required maxlength="320">
                \(team)<button type="submit">Reassign</button>
                </form>
                """)
        }
        if forms.isEmpty {
            forms.append(overview.status == "claimed"
                ? "<p>\(overview.assignee ?? "Another agent") holds this case.</p>" : "<p>No actions: the case is \(overview.status).</p>")
        }
        return """
            <section id="actions" aria-labelledby="actions-h">
            <h2 id="actions-h">Actions</h2>
            \(forms)
            </section>
            """
    }

    private var ledgerPanel: Markup {
        guard let ledger else {
            return """
                <section id="ledger" aria-labelledby="ledger-h"><h2 id="ledger-h">Ledger</h2>
                <p>\(overview.customerId == nil ? "The customer was not found in the ledger." : "The ledger has no record of this customer.")</p></section>
                """
        }
        let customer = ledger.customer
        let orders = ledger.orders.sorted { ($0.id == overview.orderId ? 0 : 1, $1.createdAt) < ($1.id == overview.orderId ? 0 : 1, $0.createdAt) }
        let rows = orders.prefix(20).map { order -> Markup in
            let paid = order.refunds.map { "refund \($0.amount) \(order.currency) on \(Layout.time($0.at.date))" }
            let plan = order.plan.map { plan in
                plan.installments.map { "#\($0.n) \($0.amount) due \($0.due) \($0.status.rawValue)" }.joined(separator: "; ")
            }
            let fees = order.fees.map { "\($0.kind.rawValue) \($0.amount)\($0.waived ? " (waived)" : "")" }
            return """
                <tr\(Markup(raw: order.id == overview.orderId ? " class=\"this-order\"" : ""))><th scope="row">\(order.id)\(order.id == overview.orderId ? " (this case)" : "")</th>
                <td>\(order.merchant)</td><td class="money">\(order.total.description) \(order.currency)</td><td>\(Layout.time(order.createdAt.date))</td>
                <td>\(plan, or: "—")</td><td>\(paid.joined(separator: "; "), or: "—")</td><td>\(fees.joined(separator: "; "), or: "—")</td></tr>
                """
        }
        return """
            <section id="ledger" aria-labelledby="ledger-h">
            <h2 id="ledger-h">Ledger</h2>
            <p>Customer \(customer.id): \(customer.name, or: "no name") · \(customer.email, or: "no e-mail") · account \(customer.status.rawValue)</p>
            <table class="ledger">
            <caption>Orders (\(ledger.orders.count)), this case's order first</caption>
            <thead><tr><th scope="col">Order</th><th scope="col">Merchant</th><th scope="col">Total</th><th scope="col">Created</th>
            <th scope="col">Instalments</th><th scope="col">Refunds</th><th scope="col">Fees</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            </section>
            """
    }

    private var notesPanel: Markup {
        let id = overview.caseId.uuidString.lowercased()
        let items = notes.map { note -> Markup in
            "<li><p class=\"meta\">\(note.author), \(Layout.time(note.at))</p><p class=\"note-body\">\(note.body)</p></li>"
        }
        return """
            <section id="notes" aria-labelledby="notes-h">
            <h2 id="notes-h">Internal notes</h2>
            <p class="hint">Only agents see notes; they are never sent to the customer.</p>
            \(items.isEmpty ? Markup(raw: "<p>No notes yet.</p>") : "<ul class=\"notes\">\(items)</ul>")
            <form action="/cases/\(id)/notes" method="post">\(hidden())
            <label for="note-body">Add a note</label>
            <textarea id="note-body" name="body" rows="3" required maxlength="10000"></textarea>
            <button type="submit">Add note</button>
            </form>
            </section>
            """
    }

    private var timelinePanel: Markup {
        let id = overview.caseId.uuidString.lowercased()
        let items = timeline.entries.map { entry -> Markup in
            let text: String
            if entry.kind == "ticket" {
                text = [entry.detail["subject"]?.string, entry.detail["body"]?.string].compactMap { $0 }.joined(separator: ": ")
            } else if entry.kind == "reply" {
                text = entry.detail["text"]?.string ?? entry.detail.plain
            } else {
                text = entry.detail.plain
            }
            return """
                <li class="event kind-\(entry.kind)"><p class="meta">\(Layout.time(entry.at)) · \(entry.stage) · <strong>\(entry.kind)</strong></p>
                <p class="detail">\(text)</p></li>
                """
        }
        let pages = max(1, (timeline.total + pageSize - 1) / pageSize)
        var nav: [Markup] = []
        if timelinePage > 0 { nav.append("<a href=\"/cases/\(id)?page=\(timelinePage - 1)#timeline\" rel=\"prev\">Earlier</a>") }
        nav.append("<span>Page \(timelinePage + 1) of \(pages)</span>")
        if timelinePage + 1 < pages { nav.append("<a href=\"/cases/\(id)?page=\(timelinePage + 1)#timeline\" rel=\"next\">Later</a>") }
        return """
            <section id="timeline" aria-labelledby="timeline-h">
            <h2 id="timeline-h">Timeline (\(timeline.total) events)</h2>
            <ol class="timeline">\(items)</ol>
            <nav class="pages" aria-label="Timeline pages">\(Markup.join(nav, separator: " "))</nav>
            </section>
            """
    }

    private var auditPanel: Markup {
        let rows = audit.map { entry -> Markup in
            "<tr><td>\(Layout.time(entry.at))</td><td>\(entry.agent)</td><td>\(entry.action)</td><td>\(entry.outcome)</td><td>\(entry.detail == "{}" ? "—" : entry.detail)</td></tr>"
        }
        return """
            <section id="audit" aria-labelledby="audit-h">
            <h2 id="audit-h">Agent actions (audit)</h2>
            <table class="audit">
            <caption>Every agent action on this case, newest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Agent</th><th scope="col">Action</th><th scope="col">Outcome</th><th scope="col">Detail</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            </section>
            """
    }
}
