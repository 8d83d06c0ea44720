import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Security headers on every response: the CSP (`default-src 'self'`, no framing), no MIME sniffing, no referrer, and no
/// caching of agent pages.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    let logger: Logger

    static let contentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = Response(status: error.status, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: ErrorView.render(
                                    title: error.status.reasonPhrase, message: error.body ?? error.status.reasonPhrase,
                                    agent: context.agent))))
        } catch {
            // Details go to the log, not to the page.
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = Response(status: .internalServerError, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: ErrorView.render(
                                    title: "Something went wrong",
                                    message: "The console could not do that (the error is in its log). Try again in a moment.",
                                    agent: context.agent))))
        }
        response.headers[HTTPField.Name("Content-Security-Policy")!] = Self.contentSecurityPolicy
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// Identity from the trusted login proxy's headers (`IdentitySettings`), and the session cookie the CSRF token is bound
/// to (set on first visit). Requests without a valid identity get 401/403 with what to do; nothing else runs.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    let settings: IdentitySettings
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let agent: Agent
        do throws(IdentityError) {
            agent = try settings.agent(peer: context.peer,
                                       identity: request.headers[HTTPField.Name(settings.identityHeader)!],
                                       groups: request.headers[HTTPField.Name(settings.groupsHeader)!])
        } catch {
            let status: HTTPResponse.Status = switch error {
            case .missingIdentity: .unauthorized
            default: .forbidden
            }
            logger.notice("refused request", metadata: ["peer": "\(context.peer ?? "?")", "reason": "\(error)"])
            throw HTTPError(status, message: error.description)
        }
        context.agent = agent
        let existing = request.cookies[CSRFProtection.cookieName]?.value
        let session = existing.flatMap { $0.count == 64 && $0.allSatisfy(\.isHexDigit) ? $0 : nil } ?? CSRFProtection.newSession()
        context.session = session
        var response = try await next(request, context)
        if existing != session {
            response.setCookie(Cookie(name: CSRFProtection.cookieName, value: session, path: "/", secure: settings.secureCookies,
                                      httpOnly: true, sameSite: .strict))
        }
        return response
    }
}
