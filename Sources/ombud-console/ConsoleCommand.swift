import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OmbudConsole
import OmbudRuntime
#if canImport(Glibc)
import Glibc
#endif

/// `ombud-console`: the agent console (docs/console.md). Identity comes from a trusted login proxy's headers.
@main
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ombud-console",
        abstract: "The agent console: queue, cases, claim, reassign, close, reply, notes, live updates (see docs/console.md).",
        subcommands: [Serve.self, Healthcheck.self],
        defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the console (the default). Put an identity proxy such as oauth2-proxy in front.")

    @Option(help: "PostgreSQL URL (default: OMBUD_DATABASE_URL or OMBUD_DATABASE_URL_FILE).")
    var databaseURL: String?
    @Option(name: .customLong("amqp-url"), help: "RabbitMQ URL for replies (default: OMBUD_AMQP_URL or OMBUD_AMQP_URL_FILE).")
    var amqpURL: String?
    @Option(help: "Address to listen on. Keep it on loopback or a private network: only the proxy should reach it.")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (default: OMBUD_CONSOLE_PORT or 8080).")
    var port: Int?
    @Option(help: "Header carrying the signed-in agent's login, set by the proxy.")
    var identityHeader = "X-Forwarded-Email"
    @Option(help: "Header carrying the agent's groups (ombud-team-<team>, ombud-supervisors), comma-separated.")
    var groupsHeader = "X-Forwarded-Groups"
    @Option(name: .customLong("trusted-proxy"), parsing: .upToNextOption,
            help: "Addresses or CIDR ranges of the proxy allowed to set the identity headers (default: loopback only).")
    var trustedProxies: [String] = []
    @Option(help: "LOCAL DEVELOPMENT ONLY: act as this agent (a supervisor) for loopback requests without the identity header.")
    var devUser: String?
    @Flag(help: "Send the session cookie without Secure (plain-HTTP local use only).")
    var insecureCookies = false
    @Option(help: "Exchange prefix (default: OMBUD_TOPOLOGY_PREFIX or ombud).")
    var topologyPrefix: String?
    @Option(help: "Database connections for requests.")
    var databaseConnections = 4

    func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be 1-65535.") }
        if !(1...64).contains(databaseConnections) { throw ValidationError("--database-connections must be 1-64.") }
        for header in [identityHeader, groupsHeader] where HTTPField.Name(header) == nil {
            throw ValidationError("\(header) is not a valid header name.")
        }
        do {
            _ = try TrustedProxies(trustedProxies)
        } catch {
            throw ValidationError("--trusted-proxy: \(error)")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "ombud-console")
        logger.logLevel = .info
        let environmentPort = OmbudEnvironment.value("OMBUD_CONSOLE_PORT").flatMap(Int.init)
        if let devUser {
            logger.warning("""
                --dev-user \(devUser): every loopback request without \(identityHeader) is treated as this SUPERVISOR. \
                For local development only; never expose this console.
                """)
        }
        let configuration = ConsoleConfiguration(
            host: host, port: port ?? environmentPort ?? 8080,
            databaseURL: databaseURL ?? OmbudEnvironment.databaseURL, amqpURL: amqpURL ?? OmbudEnvironment.amqpURL,
            identity: IdentitySettings(identityHeader: identityHeader, groupsHeader: groupsHeader,
                                       trustedProxies: trustedProxies.isEmpty ? .loopback : try TrustedProxies(trustedProxies),
                                       devUser: devUser, secureCookies: !insecureCookies),
            secret: OmbudEnvironment.value("OMBUD_CONSOLE_SECRET"),
            topologyPrefix: topologyPrefix ?? OmbudEnvironment.value("OMBUD_TOPOLOGY_PREFIX") ?? "ombud",
            databaseConnections: databaseConnections)
        if configuration.secret == nil {
            logger.notice("OMBUD_CONSOLE_SECRET is not set: CSRF tokens use a random key, so open forms expire on restart and replicas cannot share sessions.")
        }
        let services = ConsoleApp.services(configuration, logger: logger)
        let app = ConsoleApp.make(configuration, services: services, logger: logger)
        logger.info("ombud-console listening", metadata: ["address": "\(configuration.host):\(configuration.port)"])
        try await app.runService()
    }
}

/// For container health checks, like the workers' `healthcheck`: GET /readyz (the database answers) on the local
/// console, or /healthz (the process is alive) with --liveness; exit 0 when it answers 200.
struct Healthcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when the console on this host is ready (GET /readyz: the database answers) or alive (--liveness, GET /healthz).")

    @Option(help: "The console's port (default: OMBUD_CONSOLE_PORT or 8080).")
    var port: Int?
    @Option(help: "IPv4 address to ask.")
    var host = "127.0.0.1"
    @Flag(help: "Ask /healthz (the process is alive) instead of /readyz (the database answers).")
    var liveness = false
    /// Readiness was once opt-in with --ready; it is now the default, and the flag is kept so old probes still parse.
    @Flag(help: .hidden)
    var ready = false

    func run() throws {
        let port = port ?? OmbudEnvironment.value("OMBUD_CONSOLE_PORT").flatMap(Int.init) ?? 8080
        let path = liveness ? "/healthz" : "/readyz"
        switch HealthProbe.check(host: host, port: port, path: path, timeout: 3) {
        case .healthy:
            print("ok: \(path) on port \(port)")
        case .unhealthy(let reason):
            print("unhealthy: \(reason)")
            throw ExitCode(1)
        }
    }
}
