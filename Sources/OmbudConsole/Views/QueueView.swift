import Foundation
import OmbudCore

/// The queue page: filters (team, priority, all/mine/unassigned), claim-next, and the rows, most urgent first, with the
/// first-response (SLA) and regulatory countdowns. `console.js` refreshes `#queue-body` when a case changes.
enum QueueView {
    static func render(rows: [ConsoleStore.QueueRow], filter: ConsoleStore.QueueFilter, agent: Agent, csrf: String,
                       now: Date, notice: Markup = "") -> String {
        let teams = agent.isSupervisor ? Team.allCases.map(\.rawValue) : agent.teams
        let teamOptions = Markup.join([option("", "All my teams", selected: filter.team == nil)]
            + teams.map { option($0, $0, selected: filter.team == $0) })
        let priorityOptions = Markup.join([option("", "Any", selected: filter.priority == nil)]
            + (1...3).map { option(String($0), "P\($0)", selected: filter.priority == $0) })
        let viewOptions = Markup.join(ConsoleStore.QueueFilter.View.allCases.map {
            option($0.rawValue, $0 == .all ? "All open" : ($0 == .mine ? "Mine" : "Unassigned"), selected: filter.view == $0)
        })
        let claimTeam: Markup = filter.team.map { "<input type=\"hidden\" name=\"team\" value=\"\($0)\">" } ?? ""
        let main: Markup = """
            <h1>Queue</h1>
            \(notice)
            <form class="filters" action="/" method="get">
            <label for="f-team">Team</label> <select id="f-team" name="team">\(teamOptions)</select>
            <label for="f-priority">Priority</label> <select id="f-priority" name="priority">\(priorityOptions)</select>
            <label for="f-view">Show</label> <select id="f-view" name="view">\(viewOptions)</select>
            <button type="submit">Filter</button>
            </form>
            <form class="claim-next" action="/claim-next" method="post">
            <input type="hidden" name="csrf" value="\(csrf)">\(claimTeam)
            <button type="submit">Claim the most urgent case</button>
            </form>
            <p id="live-status" class="live" role="status">Live updates connecting…</p>
            <table class="queue">
            <caption>\(rows.count) open \(rows.count == 1 ? "case" : "cases"), most urgent first</caption>
            <thead><tr><th scope="col">Case</th><th scope="col">Priority</th><th scope="col">Team</th><th scope="col">Status</th>
            <th scope="col">First response</th><th scope="col">Regulatory</th><th scope="col">Customer wants</th><th scope="col">Customer</th></tr></thead>
            <tbody id="queue-body">
            \(rows.map { row(for: $0, now: now) })
            </tbody>
            </table>
            """
        return Layout.page(title: "Queue", agent: agent, main: main, live: true)
    }

    static func row(for row: ConsoleStore.QueueRow, now: Date) -> Markup {
        let id = row.caseId.uuidString.lowercased()
        return """
            <tr id="case-\(id)" class="status-\(row.status)">
            <td><a href="/cases/\(id)">\(String(id.prefix(8)))</a></td>
            <td>\(Layout.priority(row.priority))</td>
            <td>\(row.team)</td>
            <td>\(Layout.statusText(row.status, assignee: row.assignee))</td>
            <td>\(Layout.countdown(row.firstResponseDue, now: now, label: "First response due"))</td>
            <td>\(row.regulatoryDue == nil ? Markup(raw: "—") : Layout.countdown(row.regulatoryDue, now: now, label: "Regulatory final response due"))</td>
            <td>\(row.customerWants)</td>
            <td>\(row.customerRef)</td>
            </tr>
            """
    }

    static func option(_ value: String, _ label: String, selected: Bool) -> Markup {
        "<option value=\"\(value)\"\(Markup(raw: selected ? " selected" : ""))>\(label)</option>"
    }
}

/// Search results and error pages.
enum SearchView {
    static func render(query: String, hits: [ConsoleStore.SearchHit], agent: Agent) -> String {
        let rows = hits.map { hit -> Markup in
            let id = hit.caseId.uuidString.lowercased()
            return """
                <tr><td><a href="/cases/\(id)">\(String(id.prefix(8)))</a></td><td>\(hit.team)</td><td>\(Layout.statusText(hit.status, assignee: nil))</td>
                <td>\(hit.customerRef)</td><td>\(hit.intent)</td><td>\(hit.excerpt)</td></tr>
                """
        }
        let main: Markup = """
            <h1>Search</h1>
            <p>\(hits.count) \(hits.count == 1 ? "case matches" : "cases match") <q>\(query)</q>.</p>
            <table class="results">
            <caption>Cases matching the search</caption>
            <thead><tr><th scope="col">Case</th><th scope="col">Team</th><th scope="col">Status</th><th scope="col">Customer</th>
            <th scope="col">Intent</th><th scope="col">Ticket</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """
        return Layout.page(title: "Search", agent: agent, main: main)
    }
}

enum ErrorView {
    static func render(title: String, message: String, agent: Agent?) -> String {
        Layout.page(title: title, agent: agent, main: """
            <h1>\(title)</h1>
            <p class="error" role="alert">\(message)</p>
            <p><a href="/">Back to the queue</a></p>
            """)
    }
}
