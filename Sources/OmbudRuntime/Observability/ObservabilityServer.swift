import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// Prometheus metrics for the process, bootstrapped once.
public enum OmbudMetrics {
    public static let registry = PrometheusCollectorRegistry()

    public static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}

/// `/metrics`, `/healthz` and `/readyz` on the process's HTTP port (a hummingbird `Application`,
/// which is itself a `Service` under the worker's `ServiceGroup`).
public enum ObservabilityServer {
    public static func make(host: String = "0.0.0.0", port: Int, readiness: @escaping @Sendable () -> Bool,
                            logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            let body = OmbudMetrics.registry.emitToBuffer()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            let ready = readiness()
            return Response(status: ready ? .ok : .serviceUnavailable,
                            body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "not ready: lanes connecting\n")))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "ombud"),
                           logger: logger)
    }
}

/// The HTTP server as one of the worker's services: if it cannot serve (the port is taken, say), the worker must not
/// run on without its health endpoints. It logs why and throws, and the group stops the lanes.
struct ObservabilityService<App: ApplicationProtocol>: Service {
    let app: App
    let port: Int
    let logger: Logger
    let onFailure: @Sendable (String) -> Void

    func run() async throws {
        do {
            try await app.run()
        } catch {
            let reason = "cannot serve /metrics, /healthz and /readyz on port \(port): \(error)"
            logger.error("\(reason); stopping the worker (set --http-port or OMBUD_HTTP_PORT to a free port, or 0 to turn the server off)")
            onFailure(reason)
            throw ObservabilityServerError(description: reason)
        }
    }
}

public struct ObservabilityServerError: Error, CustomStringConvertible {
    public let description: String
}
