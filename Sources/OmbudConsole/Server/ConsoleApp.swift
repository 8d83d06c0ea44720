import Foundation
import Hummingbird
import Logging
import OmbudRuntime
import ServiceLifecycle

/// The console's settings, as `ombud-console` reads them from flags and the environment.
public struct ConsoleConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var databaseURL: String
    public var amqpURL: String
    public var identity: IdentitySettings
    /// Keys the CSRF tokens; share it between replicas (`OMBUD_CONSOLE_SECRET`). Random when nil.
    public var secret: String?
    public var topologyPrefix: String
    public var databaseConnections: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, databaseURL: String, amqpURL: String,
                identity: IdentitySettings = IdentitySettings(), secret: String? = nil, topologyPrefix: String = "ombud",
                databaseConnections: Int = 4) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.amqpURL = amqpURL
        self.identity = identity
        self.secret = secret
        self.topologyPrefix = topologyPrefix
        self.databaseConnections = databaseConnections
    }
}

public enum ConsoleApp {
    public static func services(_ configuration: ConsoleConfiguration, logger: Logger) -> ConsoleServices {
        ConsoleServices(database: ConsoleDatabase(url: configuration.databaseURL, size: configuration.databaseConnections),
                        publisher: ReplyPublisher(url: configuration.amqpURL,
                                                  names: TopologyNames(prefix: configuration.topologyPrefix)),
                        events: CaseEvents(databaseURL: configuration.databaseURL, logger: logger),
                        csrf: CSRFProtection(secret: configuration.secret), identity: configuration.identity, logger: logger)
    }

    /// The HTTP application with the live-queue listener as a service beside it; `runService()` runs both until
    /// SIGTERM/SIGINT.
    public static func make(_ configuration: ConsoleConfiguration, services: ConsoleServices,
                            logger: Logger) -> some ApplicationProtocol {
        var app = Application(router: ConsoleRoutes.router(services),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                   serverName: "ombud-console"),
                              logger: logger)
        app.addServices(CaseEventsService(events: services.events, publisher: services.publisher,
                                          database: services.database))
        return app
    }
}

/// Runs the LISTEN thread while the application runs; at shutdown, ends the live streams and closes connections.
struct CaseEventsService: Service {
    let events: CaseEvents
    let publisher: ReplyPublisher
    let database: ConsoleDatabase

    func run() async throws {
        events.start()
        try? await gracefulShutdown()
        events.stop()
        publisher.close()
        database.close()
    }
}
