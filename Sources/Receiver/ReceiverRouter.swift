import Hummingbird

/// The receiver's routes. Anything else answers 404 (JSON) through `NotFoundMiddleware`.
enum ReceiverRouter {
    static let webhookRoutes = ["event", "canvas", "lifecycle"]

    static func make(
        settings: ReceiverSettings, supervisor: ReceiverSupervisor, metrics: ReceiverMetrics
    ) -> Router<ReceiverRequestContext> {
        let router = Router(context: ReceiverRequestContext.self)
        router.addMiddleware { NotFoundMiddleware(metrics: metrics) }

        let webhooks = WebhookHandler(supervisor: supervisor, metrics: metrics, settings: settings)
        for route in webhookRoutes {
            let handler: @Sendable (Request, ReceiverRequestContext) async -> Response = {
                await webhooks.handle($0, context: $1, route: route)
            }
            router.post(RouterPath(route), use: handler)
            // One stage prefix, as API-gateway style deployments use (`/prod/event`).
            router.post(RouterPath(":stage/\(route)"), use: handler)
        }

        let health = HealthHandler(
            supervisor: supervisor, metrics: metrics, serviceName: settings.serviceName, version: settings.version,
            trustedProxies: settings.trustedProxies)
        router.get("health") { request, context in health.handle(request, context: context, kind: .health) }
        router.get("health/ready") { request, context in health.handle(request, context: context, kind: .ready) }
        router.get("health/live") { request, context in health.handle(request, context: context, kind: .live) }
        router.get("metrics") { request, context -> Response in
            let client = ClientAddress(
                headers: request.headers, peer: context.remoteAddress, trustedProxies: settings.trustedProxies)
            if let refusal = health.refuseOutsideAllowList(client, state: supervisor.state) {
                return refusal
            }
            var buffer = ByteBuffer()
            buffer.writeString(metrics.exposition())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: buffer))
        }
        return router
    }
}

/// Turns the router's "no such route" (and "wrong method") into the receiver's JSON 404.
struct NotFoundMiddleware: RouterMiddleware {
    typealias Context = ReceiverRequestContext
    let metrics: ReceiverMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            metrics.countRequest(route: "unknown", outcome: "not_found")
            return JSONResponse.notFound()
        }
    }
}
