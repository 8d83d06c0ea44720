import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import OmbudRuntime
import Testing

@Suite("Observability")
struct ObservabilityTests {
    private func get(_ port: Int, _ path: String) async -> (status: Int, body: String)? {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)"),
              let (data, response) = try? await URLSession.shared.data(from: url) else { return nil }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("a worker serves /healthz, /readyz and /metrics, and logs JSON with stage and lane")
    func endpoints() async throws {
        let fixture = try RuntimeFixture(stages: ["a", "b"])
        let port = Int.random(in: 20_000..<30_000)
        let worker = try WorkerProcess(fixture: fixture, lanes: 1, batch: 8, httpPort: port)
        defer { worker.kill(SIGKILL) }

        var ready: (status: Int, body: String)?
        for _ in 0..<200 {
            ready = await get(port, "/readyz")
            if ready?.status == 200 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(ready?.status == 200, "readyz: \(String(describing: ready))\n\(worker.log)")
        #expect(await get(port, "/healthz")?.status == 200)

        try fixture.publish(count: 20)
        #expect(try fixture.waitUntil(timeout: 30) { try fixture.arrivals.total >= 20 })
        let metrics = try #require(await get(port, "/metrics"))
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("ombud_messages_total{stage=\"a\",outcome=\"processed\"} 20"), "\(metrics.body)")
        #expect(metrics.body.contains("ombud_batch_duration_seconds"))

        worker.kill(SIGTERM)
        #expect(worker.waitForExit(timeout: 20) == 0)
        let lines = worker.log.split(separator: "\n")
        let laneLine = try #require(lines.first { $0.contains("lane starting") }, "\(worker.log)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(laneLine.utf8)) as? [String: Any])
        #expect(object["stage"] as? String == "a" || object["stage"] as? String == "b")
        #expect(object["lane"] != nil)
        #expect(object["level"] as? String == "info")
    }
}
