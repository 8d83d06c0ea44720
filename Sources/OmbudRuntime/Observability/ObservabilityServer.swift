import Hummingbird
import Logging
import Metrics
import Prometheus

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
