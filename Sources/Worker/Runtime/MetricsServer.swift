import Hummingbird
import Logging

/// Serves the worker's Prometheus exposition at `GET /metrics` on `METRICS_PORT` (all interfaces, so the
/// container's scraper can reach it). Runs until cancelled.
struct MetricsServer: Sendable {
    let port: Int
    let metrics: WorkerMetrics
    let logger: Logger

    func run() async throws {
        let router = Router()
        router.get("metrics") { [metrics] _, _ -> Response in
            var buffer = ByteBuffer()
            buffer.writeString(metrics.exposition())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: buffer))
        }
        let application = Application(
            router: router, configuration: .init(address: .hostname("0.0.0.0", port: port), serverName: nil),
            logger: logger)
        try await application.runService()
    }
}
