import Config
import Hummingbird
import JSONCore

/// `GET /health`, `/health/ready`, `/health/live`.
///
/// `/health` stays 200 while degraded so the load balancer does not kill a task that is only waiting for its
/// secret; `/health/ready` says whether traffic can be taken. Reached through the load balancer (the request
/// carries `X-Forwarded-For` and the peer is a trusted proxy), they obey the allowlist like the webhook routes;
/// the ALB's own probes and the container check carry no such header and always get their answer. Only a
/// caller on this host is told why configuration is unusable.
struct HealthHandler: Sendable {
    let supervisor: ReceiverSupervisor
    let metrics: ReceiverMetrics
    let serviceName: String
    let version: String
    let trustedProxies: TrustedProxies

    enum Kind: String { case health, ready, live }

    func handle(_ request: Request, context: ReceiverRequestContext, kind: Kind) -> Response {
        let state = supervisor.state
        let client = ClientAddress(
            headers: request.headers, peer: context.remoteAddress, trustedProxies: trustedProxies)
        if let refusal = refuseOutsideAllowList(client, state: state) {
            metrics.countRequest(route: "health", outcome: "ip_not_allowed")
            return refusal
        }
        let response: Response
        switch kind {
        case .live:
            response = JSONResponse.make(.ok, ["status": "alive"])
        case .health:
            var body: JSONObject = [
                "status": "healthy", "service": .string(serviceName), "version": .string(version),
                "mode": .string(state.mode),
            ]
            if let problem = state.problem(toldTo: client) { body["reason"] = .string(problem.reason) }
            if state.isReady {
                // Ready stays ready when a refreshed secret cannot be used: the configuration in use still works.
                let configuration = supervisor.loop.state
                body["config"] = configuration.isStale ? "stale" : "current"
                if let stale = configuration.staleReason {
                    body["config_reason"] = .string(stale.reason)
                    body["config_action"] = .string(stale.action)
                }
            }
            response = JSONResponse.make(.ok, .object(body))
        case .ready:
            if let problem = state.problem(toldTo: client) {
                response = JSONResponse.make(
                    .serviceUnavailable,
                    [
                        "status": "not ready", "reason": .string(problem.reason), "action": .string(problem.action),
                    ])
            } else {
                response = JSONResponse.make(.ok, ["status": "ready"])
            }
        }
        metrics.countRequest(route: "health", outcome: response.status.code == 200 ? "ok" : "not_ready")
        return response
    }

    /// Only requests that came through a proxy are checked, and only once an allowlist is known.
    func refuseOutsideAllowList(_ client: ClientAddress, state: ReceiverState) -> Response? {
        guard client.viaProxy, case .ready(let runtime) = state else { return nil }
        if runtime.allowList.contains(address: client.address ?? "") { return nil }
        return JSONResponse.forbidden(reason: "ip_not_allowed")
    }
}
