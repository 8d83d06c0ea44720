import Foundation
@testable import OmbudConsole
import Testing

/// The pure parts: escaping, countdowns, identity from the proxy's headers, CSRF tokens, form parsing.
@Suite struct ConsoleUnitTests {
    @Test func escapingNeutralisesMarkupQuotesAndAmpersands() {
        #expect(HTML.escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        #expect(HTML.escape("\"a\" & b") == "&quot;a&quot; &amp; b")
        #expect(HTML.escape("&amp;") == "&amp;amp;")
        #expect(HTML.escape("tab\tand\nnewline") == "tab\tand\nnewline")
        #expect(HTML.escape("nul\u{0}bell\u{7}") == "nul\u{FFFD}bell\u{FFFD}")
        #expect(HTML.escape("Grüße, 😀") == "Grüße, 😀")
    }

    @Test func markupEscapesInterpolatedTextButNotItsOwnMarkup() {
        let customer = "<img src=x onerror=alert(1)>"
        let nested: Markup = "<em>\(customer)</em>"
        let page: Markup = "<p title=\"\(customer)\">\(nested)</p>"
        #expect(page.html == "<p title=\"&lt;img src=x onerror=alert(1)&gt;\"><em>&lt;img src=x onerror=alert(1)&gt;</em></p>")
        let missing: String? = nil
        let placeholder: Markup = "<td>\(missing)</td>"
        #expect(placeholder.html == "<td>—</td>")
    }

    @Test func countdownsSayTheStateInTextAndClass() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let later = Countdown(due: now.addingTimeInterval(3 * 3600 + 12 * 60 + 30), now: now)
        #expect(later.text == "due in 3h 12m")
        #expect(later.cssClass == "due-ok")
        let soon = Countdown(due: now.addingTimeInterval(20 * 60), now: now)
        #expect(soon.text == "due in 20m")
        #expect(soon.state == .warning)
        let late = Countdown(due: now.addingTimeInterval(-20 * 60 - 5), now: now)
        #expect(late.text == "overdue by 20m")
        #expect(late.cssClass == "due-overdue")
        #expect(Countdown(due: now.addingTimeInterval(2 * 86400 + 4 * 3600), now: now).text == "due in 2d 4h")
        #expect(Countdown(due: now.addingTimeInterval(30), now: now).text == "due in under 1m")
        #expect(Countdown(due: nil, now: now).state == .none)
    }

    @Test func groupsHeaderGivesTeamsAndSupervisor() throws {
        let agent = Agent.from(name: "ana@example.com", groups: "staff, ombud-team-care,ombud-team-fraud ,ombud-team-")
        #expect(agent.teams == ["care", "fraud"])
        #expect(!agent.isSupervisor)
        #expect(agent.teamScope == ["care", "fraud"])
        #expect(agent.mayWork(team: "care") && !agent.mayWork(team: "disputes") && !agent.mayWork(team: nil))
        let supervisor = Agent.from(name: "sam@example.com", groups: "ombud-supervisors")
        #expect(supervisor.isSupervisor && supervisor.teamScope == nil && supervisor.mayWork(team: "disputes"))
    }

    @Test func identityComesOnlyFromTheTrustedProxy() throws {
        let settings = IdentitySettings(trustedProxies: try TrustedProxies(["10.0.0.5"]))
        #expect(try settings.agent(peer: "10.0.0.5", identity: "ana@example.com", groups: "ombud-team-care").name == "ana@example.com")
        #expect(throws: IdentityError.untrustedPeer("10.0.0.9")) {
            try settings.agent(peer: "10.0.0.9", identity: "ana@example.com", groups: "ombud-team-care")
        }
        #expect(throws: IdentityError.missingIdentity("X-Forwarded-Email")) {
            try settings.agent(peer: "10.0.0.5", identity: " ", groups: "ombud-team-care")
        }
        #expect(throws: IdentityError.noTeam("ana@example.com")) {
            try settings.agent(peer: "10.0.0.5", identity: "ana@example.com", groups: "staff")
        }
        // The development identity applies only to loopback requests without the header.
        let dev = IdentitySettings(devUser: "dev")
        #expect(try dev.agent(peer: "127.0.0.1", identity: nil, groups: nil) == Agent(name: "dev", teams: [], isSupervisor: true))
        #expect(try dev.agent(peer: "127.0.0.1", identity: "ana", groups: "ombud-team-care").name == "ana")
    }

    @Test func trustedProxiesAreAddressesOrRanges() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8", "192.168.1.7", "fd00::/8"])
        #expect(proxies.contains("10.1.2.3") && proxies.contains("::ffff:10.200.0.1"))
        #expect(!proxies.contains("11.0.0.1") && !proxies.contains("192.168.1.8"))
        #expect(proxies.contains("192.168.1.7"))
        #expect(proxies.contains("fd12:3456::1") && !proxies.contains("fe80::1"))
        #expect(!proxies.contains("not an address"))
        #expect(TrustedProxies.loopback.contains("127.0.0.1") && TrustedProxies.loopback.contains("::1"))
        #expect(!TrustedProxies.loopback.contains("10.0.0.1"))
        #expect(try TrustedProxies(["172.16.0.0/12"]).contains("172.31.255.255"))
        #expect(try !TrustedProxies(["172.16.0.0/12"]).contains("172.32.0.0"))
        #expect(throws: TrustedProxyError(entry: "10.0.0.0/33")) { try TrustedProxies(["10.0.0.0/33"]) }
        #expect(throws: TrustedProxyError(entry: "proxy.local")) { try TrustedProxies(["proxy.local"]) }
    }

    @Test func csrfTokenIsBoundToAgentAndSession() {
        let csrf = CSRFProtection(secret: "test-secret")
        let session = CSRFProtection.newSession()
        let token = csrf.token(agent: "ana", session: session)
        #expect(token.count == 64)
        #expect(csrf.isValid(token: token, agent: "ana", session: session))
        #expect(!csrf.isValid(token: token, agent: "bob", session: session))
        #expect(!csrf.isValid(token: token, agent: "ana", session: CSRFProtection.newSession()))
        #expect(!csrf.isValid(token: nil, agent: "ana", session: session))
        #expect(!csrf.isValid(token: token, agent: "ana", session: nil))
        #expect(!csrf.isValid(token: String(token.dropLast()) + "0", agent: "ana", session: session) || token.hasSuffix("0"))
        // Another key (another deployment, or a restart without OMBUD_CONSOLE_SECRET) does not accept it.
        #expect(!CSRFProtection(secret: nil).isValid(token: token, agent: "ana", session: session))
    }

    @Test func formsAreDecoded() throws {
        let form = try ConsoleForm.parse("text=Hello+there%2C+%3Cb%3E&csrf=ab&empty=&flag")
        #expect(form["text"] == "Hello there, <b>")
        #expect(form["csrf"] == "ab")
        #expect(form.text("empty") == nil)
        #expect(form["flag"] == "")
        #expect(throws: (any Error).self) { try ConsoleForm.parse("bad=%E0%A4%A") }
    }
}
