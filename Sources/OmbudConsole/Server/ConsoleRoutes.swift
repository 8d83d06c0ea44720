import Foundation
import Hummingbird
import Logging
import OmbudCore
import OmbudLedger
import OmbudOperations
import Postgres
import ServiceLifecycle

/// What the routes share: the database pool, the reply publisher, the live feed, CSRF and the clock.
public struct ConsoleServices: Sendable {
    public var database: ConsoleDatabase
    public var publisher: ReplyPublisher
    public var events: CaseEvents
    public var csrf: CSRFProtection
    public var identity: IdentitySettings
    public var timelinePageSize: Int
    public var logger: Logger

    public init(database: ConsoleDatabase, publisher: ReplyPublisher, events: CaseEvents, csrf: CSRFProtection,
                identity: IdentitySettings, timelinePageSize: Int = 25, logger: Logger) {
        self.database = database
        self.publisher = publisher
        self.events = events
        self.csrf = csrf
        self.identity = identity
        self.timelinePageSize = timelinePageSize
        self.logger = logger
    }
}

/// The console's routes. Reads are scoped to the agent's teams in SQL; every POST checks the CSRF token first; every
/// action (and every refusal) is written to `ombud.agent_audit` in the action's own transaction.
public enum ConsoleRoutes {
    /// What an action ended in: a redirect back to the case with a notice, or a refusal with what to tell the agent.
    enum Outcome: Sendable {
        case done(String)
        case refused(HTTPResponse.Status, String)
    }

    public static func router(_ services: ConsoleServices) -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        router.add(middleware: SecurityHeadersMiddleware(logger: services.logger))
        let db = services.database

        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            let ready = (try? await db.run { try $0.query("SELECT 1").count == 1 }) ?? false
            return Response(status: ready ? .ok : .serviceUnavailable,
                            body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "not ready: database unreachable\n")))
        }
        router.get("/static/console.js") { _, _ in asset(StaticAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/static/console.css") { _, _ in asset(StaticAssets.stylesheet, type: "text/css; charset=utf-8") }

        let agents = router.group().add(middleware: IdentityMiddleware(settings: services.identity, logger: services.logger))

        agents.get("/") { request, context -> Response in
            let agent = try context.requireAgent()
            let filter = try queueFilter(request, agent: agent)
            let rows = try await db.run { try ConsoleStore.queue(filter, agent: agent, in: $0) }
            let notice: Markup = request.uri.queryParameters["empty"] != nil
                ? "<p class=\"notice\" role=\"status\">No waiting case to claim.</p>" : ""
            return html(QueueView.render(rows: rows, filter: filter, agent: agent, csrf: token(context, services), now: Date(),
                                         notice: notice))
        }

        agents.post("/claim-next") { request, context -> Response in
            let agent = try context.requireAgent()
            let form = try await ConsoleForm.read(request)
            try await checkCSRF(form, context, services, action: "claim_next", caseId: nil)
            let team = form.text("team")
            if let team, !agent.mayWork(team: team) {
                throw HTTPError(.forbidden, message: "You are not in team \(team).")
            }
            let claimed: UUID? = try await db.run { conn in
                try conn.transaction { conn in
                    guard let id = try ConsoleStore.claimNext(agent: agent, team: team, in: conn) else {
                        try ConsoleStore.audit(agent: agent.name, action: "claim_next", caseId: nil, outcome: "refused",
                                               detail: ["reason": "queue empty", "team": team ?? "any"], in: conn)
                        return nil
                    }
                    try ConsoleStore.audit(agent: agent.name, action: "claim", caseId: id, outcome: "done",
                                           detail: ["via": "claim_next"], in: conn)
                    return id
                }
            }
            guard let claimed else { return .redirect(to: "/?empty=1", type: .normal) }
            return .redirect(to: "/cases/\(claimed.uuidString.lowercased())?done=claimed", type: .normal)
        }

        agents.get("/search") { request, context -> Response in
            let agent = try context.requireAgent()
            let query = String(request.uri.queryParameters["q"] ?? "").prefix(200)
            let hits = try await db.run { try ConsoleStore.search(String(query), agent: agent, in: $0) }
            return html(SearchView.render(query: String(query), hits: hits, agent: agent))
        }

        agents.get("/events") { _, context -> Response in
            let agent = try context.requireAgent()
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                            body: .init(asyncSequence: eventStream(services.events.subscribe(agent: agent))))
        }

        agents.get("/cases/:id") { request, context -> Response in
            let agent = try context.requireAgent()
            let id = try caseId(context)
            let page = max(0, Int(request.uri.queryParameters["page"] ?? "0") ?? 0)
            let size = services.timelinePageSize
            let view: CaseView? = try await db.run { conn in
                guard try ConsoleStore.scopedCase(id, agent: agent, in: conn) != nil,
                      let overview = try AgentDesk(database: conn).overview(caseId: id) else {
                    try ConsoleStore.audit(agent: agent.name, action: "view", caseId: id, outcome: "refused",
                                           detail: ["reason": "not in the agent's teams or no such case"], in: conn)
                    return nil
                }
                try ConsoleStore.audit(agent: agent.name, action: "view", caseId: id, outcome: "done", in: conn)
                let ledger = try overview.customerId.flatMap { try PostgresLedger(database: conn).facts(customerId: $0) }
                return CaseView(overview: overview, timeline: try ConsoleStore.timeline(id, page: page, pageSize: size, in: conn),
                                timelinePage: page, pageSize: size, notes: try ConsoleStore.notes(id, in: conn),
                                audit: try ConsoleStore.auditTrail(id, in: conn), ledger: ledger, agent: agent,
                                csrf: token(context, services), replyNonce: CSRFProtection.newSession().prefix(32).description,
                                now: Date(), notice: "")
            }
            guard var view else { throw notFound(id) }
            view.notice = Layout.notice(request.uri.queryParameters["done"].map(String.init))
            return html(view.render())
        }

        agents.post("/cases/:id/claim") { request, context -> Response in
            try await act(request, context, services, action: "claim") { conn, agent, id, _, _ in
                try AgentDesk(database: conn).claim(caseId: id, agent: agent.name)
                    ? .done("claimed") : .refused(.conflict, "This case is not waiting any more: another agent may have claimed it.")
            }
        }

        agents.post("/cases/:id/close") { request, context -> Response in
            try await act(request, context, services, action: "close") { conn, agent, id, form, _ in
                let outcome = form.text("outcome") ?? ""
                guard AgentDesk.outcomes.contains(outcome) else {
                    return .refused(.badRequest, "Choose an outcome: \(AgentDesk.outcomes.joined(separator: ", ")).")
                }
                let note = form.text("note")
                if let note, note.count > 2000 { return .refused(.badRequest, "The closing note is longer than 2000 characters.") }
                return try AgentDesk(database: conn).close(caseId: id, agent: agent.name, outcome: outcome, note: note)
                    ? .done("closed") : .refused(.conflict, "Only the agent holding a case can close it: claim it first.")
            }
        }

        agents.post("/cases/:id/reassign") { request, context -> Response in
            try await act(request, context, services, action: "reassign") { conn, agent, id, form, current in
                guard let to = form.text("to"), to.count <= 320,
                      !to.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    return .refused(.badRequest, "Name the agent (their login) to reassign to.")
                }
                let team = form.text("team")
                if team != nil, !agent.isSupervisor { return .refused(.forbidden, "Only a supervisor can move a case to another team.") }
                guard agent.isSupervisor || (current.status == "claimed" && current.assignee == agent.name) else {
                    return .refused(.forbidden, "Only the agent holding the case or a supervisor can reassign it.")
                }
                return try ConsoleStore.reassign(id, by: agent.name, to: to, team: team, in: conn)
                    ? .done("reassigned") : .refused(.conflict, "This case is no longer in the queue.")
            }
        }

        agents.post("/cases/:id/notes") { request, context -> Response in
            try await act(request, context, services, action: "note") { conn, agent, id, form, _ in
                guard let body = form.text("body"), body.count <= 10_000 else {
                    return .refused(.badRequest, "A note needs 1 to 10000 characters.")
                }
                try ConsoleStore.addNote(id, author: agent.name, body: body, in: conn)
                return .done("noted")
            }
        }

        agents.post("/cases/:id/reply") { request, context -> Response in
            do {
                return try await act(request, context, services, action: "reply") { conn, agent, id, form, current in
                    try reply(conn, agent: agent, caseId: id, form: form, current: current, publisher: services.publisher)
                }
            } catch let error as ReplyNotSent {
                // Nothing was recorded or sent (the transaction rolled back); keep the agent's text so nothing is lost.
                let agent = try context.requireAgent()
                _ = try? await db.run {
                    try ConsoleStore.audit(agent: agent.name, action: "reply", caseId: error.caseId, outcome: "refused",
                                           detail: ["reason": "broker did not confirm: \(error.reason)"], in: $0)
                }
                let page = Layout.page(title: "Reply not sent", agent: agent, main: """
                    <h1>Reply not sent</h1>
                    <p class="error" role="alert">The message broker did not take the reply, so nothing was sent or recorded. \
                    Copy your text, go back to <a href="/cases/\(error.caseId.uuidString.lowercased())">the case</a> and send it again.</p>
                    <h2>Your reply</h2><pre class="summary">\(error.text)</pre>
                    """)
                return Response(status: .serviceUnavailable, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: page)))
            }
        }
        return router
    }

    struct ReplyNotSent: Error {
        var caseId: UUID
        var text: String
        var reason: String
    }

    /// Records the reply on the case (timeline) and publishes it as `ombud.reply.v1`, inside the action's transaction:
    /// when the broker does not confirm, the transaction rolls back and nothing is recorded.
    static func reply(_ conn: PostgresConnection, agent: Agent, caseId: UUID, form: ConsoleForm,
                      current: (team: String?, status: String, assignee: String?), publisher: ReplyPublisher) throws -> Outcome {
        guard current.status == "claimed", current.assignee == agent.name else {
            return .refused(.conflict, "Claim the case before replying to the customer.")
        }
        guard let text = form.text("text"), text.count <= 10_000 else {
            return .refused(.badRequest, "A reply needs 1 to 10000 characters.")
        }
        guard let nonce = form["nonce"], nonce.count == 32, nonce.allSatisfy(\.isHexDigit) else {
            return .refused(.badRequest, "The reply form is incomplete; reload the case and try again.")
        }
        let messageId = ReplyPublisher.messageId(caseId: caseId, nonce: nonce)
        let language = try AgentDesk(database: conn).overview(caseId: caseId)?.language ?? "en"
        guard let recorded = try ConsoleStore.recordReply(caseId, agent: agent.name, messageId: messageId, text: text,
                                                          language: language, in: conn) else {
            return .refused(.conflict, "This case has no ticket to reply to.")
        }
        guard recorded.inserted else { return .done("duplicate") }
        let message = ReplyV1(caseId: caseId, channel: recorded.channel, externalId: recorded.externalId,
                              threadId: recorded.threadId, language: language, outcome: .escalated, text: text)
        do {
            try publisher.publish(message, messageId: messageId)
        } catch {
            throw ReplyNotSent(caseId: caseId, text: text, reason: "\(error)")
        }
        return .done("replied")
    }

    /// The shared shape of every case action: form, CSRF, one transaction that locks the case within the agent's scope,
    /// the action, its audit row; then a redirect back to the case or the refusal as an error page.
    static func act(_ request: Request, _ context: ConsoleContext, _ services: ConsoleServices, action: String,
                    _ body: @escaping @Sendable (PostgresConnection, Agent, UUID, ConsoleForm,
                                                 (team: String?, status: String, assignee: String?)) throws -> Outcome)
        async throws -> Response
    {
        let agent = try context.requireAgent()
        let id = try caseId(context)
        let form = try await ConsoleForm.read(request)
        try await checkCSRF(form, context, services, action: action, caseId: id)
        let outcome: Outcome = try await services.database.run { conn in
            try conn.transaction { conn in
                guard let current = try ConsoleStore.scopedCase(id, agent: agent, lock: true, in: conn) else {
                    try ConsoleStore.audit(agent: agent.name, action: action, caseId: id, outcome: "refused",
                                           detail: ["reason": "not in the agent's teams or no such case"], in: conn)
                    return .refused(.notFound, "")
                }
                let outcome = try body(conn, agent, id, form, current)
                switch outcome {
                case .done(let notice):
                    try ConsoleStore.audit(agent: agent.name, action: action, caseId: id, outcome: "done",
                                           detail: notice == "duplicate" ? ["note": "form sent twice, not sent again"] : [:], in: conn)
                case .refused(_, let reason):
                    try ConsoleStore.audit(agent: agent.name, action: action, caseId: id, outcome: "refused",
                                           detail: ["reason": reason], in: conn)
                }
                return outcome
            }
        }
        switch outcome {
        case .done(let notice):
            return .redirect(to: "/cases/\(id.uuidString.lowercased())?done=\(notice)", type: .normal)
        case .refused(.notFound, _):
            throw notFound(id)
        case .refused(let status, let reason):
            throw HTTPError(status, message: reason)
        }
    }

    static func checkCSRF(_ form: ConsoleForm, _ context: ConsoleContext, _ services: ConsoleServices, action: String,
                          caseId: UUID?) async throws {
        let agent = try context.requireAgent()
        guard services.csrf.isValid(token: form[CSRFProtection.fieldName], agent: agent.name, session: context.session) else {
            _ = try? await services.database.run {
                try ConsoleStore.audit(agent: agent.name, action: action, caseId: caseId, outcome: "refused",
                                       detail: ["reason": "CSRF token missing or invalid"], in: $0)
            }
            throw HTTPError(.forbidden, message: "This form did not come from your console session (CSRF check failed). Reload the page and try again.")
        }
    }

    static func token(_ context: ConsoleContext, _ services: ConsoleServices) -> String {
        services.csrf.token(agent: context.agent?.name ?? "", session: context.session ?? "")
    }

    static func caseId(_ context: ConsoleContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw HTTPError(.notFound, message: "That is not a case id.")
        }
        return id
    }

    static func notFound(_ id: UUID) -> HTTPError {
        HTTPError(.notFound, message: "No case \(id.uuidString.lowercased()) in your teams.")
    }

    static func queueFilter(_ request: Request, agent: Agent) throws -> ConsoleStore.QueueFilter {
        let query = request.uri.queryParameters
        let team = query["team"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let team, !agent.mayWork(team: team) { throw HTTPError(.forbidden, message: "You are not in team \(team).") }
        let priority = query["priority"].flatMap { Int(String($0)) }.flatMap { (1...3).contains($0) ? $0 : nil }
        let view = query["view"].flatMap { ConsoleStore.QueueFilter.View(rawValue: String($0)) } ?? .all
        return ConsoleStore.QueueFilter(team: team, priority: priority, view: view)
    }

    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Server-sent events: `event: case` with a case id for every change the agent may see, a comment every 15s so a
    /// closed connection is noticed, and the end of the stream at graceful shutdown.
    static func eventStream(_ changes: AsyncStream<CaseEvents.Change>) -> AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            continuation.yield(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            let feed = Task {
                await withGracefulShutdownHandler {
                    for await change in changes {
                        continuation.yield(ByteBuffer(string: "event: case\ndata: \(change.caseId.uuidString.lowercased())\n\n"))
                    }
                } onGracefulShutdown: {
                    continuation.finish()
                }
                continuation.finish()
            }
            let heartbeat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    continuation.yield(ByteBuffer(string: ": ping\n\n"))
                }
            }
            continuation.onTermination = { _ in
                feed.cancel()
                heartbeat.cancel()
            }
        }
    }
}
