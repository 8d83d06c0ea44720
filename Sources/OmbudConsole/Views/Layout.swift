import Foundation

/// The page frame every view shares: landmarks (banner, navigation with search, main), the same-origin stylesheet and
/// script, and who is signed in. No inline script or style anywhere (the CSP is `default-src 'self'`).
enum Layout {
    static func page(title: String, agent: Agent?, main: Markup, live: Bool = false) -> String {
        let who: Markup = agent.map { agent in
            let teams = agent.isSupervisor ? "supervisor, all teams" : "team " + agent.teams.joined(separator: ", ")
            return "<p class=\"who\">Signed in as <strong>\(agent.name)</strong> (\(teams))</p>"
        } ?? ""
        let search: Markup = agent == nil ? "" : """
            <form class="search" role="search" action="/search" method="get">
            <label for="search-q">Search cases</label>
            <input id="search-q" name="q" type="search" placeholder="case id, customer or text">
            <button type="submit">Search</button>
            </form>
            """
        let page: Markup = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Ombud console</title>
            <link rel="stylesheet" href="/static/console.css">
            \(live ? Markup(raw: "<script src=\"/static/console.js\" defer></script>") : "")
            </head>
            <body>
            <header class="top">
            <p class="brand"><a href="/">Ombud agent console</a></p>
            <nav aria-label="Main">
            <ul><li><a href="/">Queue</a></li><li><a href="/?view=mine">My cases</a></li><li><a href="/?view=unassigned">Unassigned</a></li></ul>
            </nav>
            \(search)
            \(who)
            </header>
            <main id="main">
            \(main)
            </main>
            </body>
            </html>
            """
        return page.html
    }

    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        return formatter.string(from: date)
    }

    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter
    }()

    /// A due time as text with its colour class; the text says the state, the colour only repeats it.
    static func countdown(_ due: Date?, now: Date, label: String) -> Markup {
        let countdown = Countdown(due: due, now: now)
        return "<span class=\"countdown \(countdown.cssClass)\" title=\"\(label) \(time(due))\">\(countdown.text)</span>"
    }

    static func priority(_ priority: Int?) -> String { priority.map { "P\($0)" } ?? "—" }

    static func statusText(_ status: String, assignee: String?) -> String {
        switch status {
        case "escalated": "waiting"
        case "claimed": "claimed by " + (assignee ?? "?")
        default: status
        }
    }

    /// A message shown after an action; only the console's own keys are accepted, never text from the URL.
    static func notice(_ key: String?) -> Markup {
        let messages = ["claimed": "You claimed this case.", "closed": "The case is closed.", "reassigned": "The case was reassigned.",
                        "replied": "Your reply was sent to the customer.", "noted": "Your note was added.",
                        "duplicate": "That reply was already sent."]
        guard let key, let message = messages[key] else { return "" }
        return "<p class=\"notice\" role=\"status\">\(message)</p>"
    }
}
