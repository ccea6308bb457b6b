import Benchling
import Foundation
import Hummingbird
import JSONCore
import Logging
import MessageQueue
import NIOCore
import Timing

/// Handles `POST /event`, `/canvas`, `/lifecycle` (with or without a stage prefix).
///
/// Order matters: readiness, then the allowlist (cheapest, and a caller outside it learns nothing more),
/// then the body limit and the shared body budget, then the signature over the raw bytes, and only then parsing
/// and the check that the delivery names our app and tenant. The path is only a label:
/// routing follows `message.type`, as Benchling's suffixed URLs may carry any kind.
struct WebhookHandler: Sendable {
    let supervisor: ReceiverSupervisor
    let metrics: ReceiverMetrics
    let maxBodyBytes: Int
    let trustedProxies: TrustedProxies
    let bodyBudget: BodyBudget
    /// Bounds every enqueue by the settings' `enqueueTimeout`.
    let enqueueDeadline: Deadline
    let now: @Sendable () -> Date

    init(
        supervisor: ReceiverSupervisor, metrics: ReceiverMetrics, settings: ReceiverSettings
    ) {
        self.supervisor = supervisor
        self.metrics = metrics
        maxBodyBytes = settings.maxBodyBytes
        trustedProxies = settings.trustedProxies
        bodyBudget = BodyBudget(
            totalBytes: settings.limits.bodyBudgetBytes, smallBodyBytes: settings.limits.smallBodyBytes)
        enqueueDeadline = Deadline(timeout: settings.enqueueTimeout)
        now = settings.now
    }

    /// What happened, for the answer, the metric and the log line.
    struct Outcome {
        var response: Response
        var label: String
        var webhookId: String? = nil
        var eventType: String? = nil
        var detail: String? = nil
    }

    func handle(_ request: Request, context: ReceiverRequestContext, route: String) async -> Response {
        let started = ContinuousClock.now
        let outcome = await decide(request, context: context)
        let elapsed = ContinuousClock.now - started
        metrics.countRequest(route: route, outcome: outcome.label)
        metrics.recordWebhook(elapsed)
        let status = outcome.response.status.code
        let level: Logger.Level = status >= 500 ? .error : status >= 400 ? .warning : .info
        // The line's metadata is only built when the line is written (at the default level, successes are not).
        guard context.logger.logLevel <= level else { return outcome.response }
        var metadata: Logger.Metadata = [
            "route": "\(route)", "outcome": "\(outcome.label)", "status": "\(status)",
            "latency_ms": "\(Self.milliseconds(elapsed))",
        ]
        if let id = outcome.webhookId { metadata["webhook_id"] = "\(id)" }
        if let type = outcome.eventType { metadata["event_type"] = "\(type)" }
        if let detail = outcome.detail { metadata["detail"] = "\(detail)" }
        context.logger.log(level: level, "webhook", metadata: metadata)
        return outcome.response
    }

    private func decide(_ request: Request, context: ReceiverRequestContext) async -> Outcome {
        let state = supervisor.state
        let client = ClientAddress(
            headers: request.headers, peer: context.remoteAddress, trustedProxies: trustedProxies)
        guard case .ready(let runtime) = state else {
            let problem = state.problem(toldTo: client) ?? StartupProblem(reason: "not ready", action: "retry shortly")
            return Outcome(response: JSONResponse.unavailable(problem), label: "degraded")
        }
        guard runtime.allowList.contains(address: client.address ?? "") else {
            return Outcome(
                response: JSONResponse.forbidden(reason: "ip_not_allowed"), label: "ip_not_allowed",
                detail: "client \(client.address ?? "unknown")")
        }

        let body: ByteBuffer
        let reserved: Int
        switch await readBody(request) {
        case .success(let read): (body, reserved) = read
        case .failure(let early): return early.outcome
        }
        defer { bodyBudget.release(reserved) }
        let bytes = body.readableBytesView
        let headers = WebhookHeaders(request.headers.lazy.map { ($0.name.canonicalName, $0.value) })

        if let verifier = runtime.verifier {
            let verdict = await verifier.verify(headers: headers, body: bytes)
            if let failure = verdict.failure {
                metrics.countVerificationFailure(reason: failure.rawValue)
                if failure == .jwksUnavailable {
                    // Not a verdict on the sender: we could not get Benchling's keys. Let Benchling retry.
                    return Outcome(
                        response: JSONResponse.make(
                            .serviceUnavailable,
                            [
                                "error": "Service Unavailable", "reason": "jwks_unavailable",
                            ]), label: "jwks_unavailable", webhookId: headers.id)
                }
                return Outcome(
                    response: JSONResponse.forbidden(reason: failure.rawValue), label: failure.rawValue,
                    webhookId: headers.id)
            }
        }

        let envelope: WebhookEnvelope
        do {
            envelope = try WebhookEnvelope.parse(bytes)
        } catch {
            return Outcome(
                response: JSONResponse.make(
                    .badRequest,
                    [
                        "error": "Bad Request", "reason": "invalid_payload", "detail": .string(error.description),
                    ]), label: "invalid_payload", webhookId: headers.id, detail: error.description)
        }
        if let refusal = runtime.identity.refusal(of: envelope) {
            return Outcome(
                response: JSONResponse.forbidden(reason: refusal.reason), label: refusal.reason,
                webhookId: headers.id, detail: refusal.detail)
        }
        let message = envelope.message
        let webhookId = headers.id ?? "rcv_\(UUID().uuidString.lowercased())"
        var outcome = Outcome(response: Response(status: .ok), label: "", webhookId: webhookId, eventType: message.type)

        switch message.kind {
        case .lifecycle(let type):
            // Installation and activation need no work from us; acknowledging is the whole job.
            outcome.response = JSONResponse.make(
                .ok,
                [
                    "status": "ok", "eventType": .string(type), "webhookId": .string(webhookId),
                ])
            outcome.label = "lifecycle"
        case .unknown(let type):
            outcome.response = JSONResponse.make(.ok, ["status": "ignored", "eventType": .string(type)])
            outcome.label = "ignored"
        case .entry, .canvasInitialized, .canvasCreated, .canvasInteraction:
            guard let groupId = message.messageGroupId else {
                outcome.response = JSONResponse.make(
                    .badRequest,
                    [
                        "error": "Bad Request", "reason": "invalid_payload",
                        "detail": "message names no entry or canvas",
                    ])
                outcome.label = "invalid_payload"
                return outcome
            }
            let queued = QueuedWebhook(
                webhookId: webhookId, webhookTimestamp: headers.timestamp, receivedAt: now(),
                eventType: message.type, groupId: groupId, body: String(decoding: bytes, as: UTF8.self))
            if let failure = await enqueue(queued, groupId: groupId, on: runtime.queue) {
                outcome.response = JSONResponse.make(
                    .serviceUnavailable,
                    [
                        "error": "Service Unavailable", "reason": "enqueue_failed",
                        "action": "the event was not queued; Benchling will retry the delivery",
                    ])
                outcome.label = "enqueue_failed"
                outcome.detail = failure
                return outcome
            }
            var answer: JSONObject = [
                "status": "ACCEPTED", "webhookId": .string(webhookId), "eventType": .string(message.type),
            ]
            if let entryId = message.entryId { answer["entryId"] = .string(entryId) }
            if let canvasId = message.canvasId { answer["canvasId"] = .string(canvasId) }
            if case .entry = message.kind {
                outcome.response = JSONResponse.make(.ok, .object(answer))
            } else {
                outcome.response = JSONResponse.make(.accepted, .object(answer))
            }
            outcome.label = "accepted"
        }
        return outcome
    }

    /// Reads the whole body as received, refusing more than `maxBodyBytes` (early, from Content-Length, when
    /// the client declared it). Reserves the bytes from the body budget first (the declared length, else the
    /// limit) and returns how many it reserved, which the caller releases once answered; on failure nothing
    /// stays reserved.
    private func readBody(_ request: Request) async -> Result<(ByteBuffer, reserved: Int), OutcomeError> {
        let tooLarge = OutcomeError(
            Outcome(
                response: JSONResponse.make(
                    .contentTooLarge,
                    [
                        "error": "Payload Too Large", "limit": .int(maxBodyBytes),
                    ]), label: "too_large"))
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > maxBodyBytes {
            return .failure(tooLarge)
        }
        let reservation = max(declared ?? maxBodyBytes, 0)
        guard bodyBudget.reserve(reservation) else {
            return .failure(
                OutcomeError(
                    Outcome(
                        response: JSONResponse.make(
                            .serviceUnavailable,
                            [
                                "error": "Service Unavailable", "reason": "busy",
                                "action": "too many request bodies are being read; Benchling will retry the delivery",
                            ]), label: "busy")))
        }
        do {
            return .success((try await request.body.collect(upTo: declared ?? maxBodyBytes), reservation))
        } catch is NIOTooManyBytesError {
            bodyBudget.release(reservation)
            return .failure(tooLarge)
        } catch {
            bodyBudget.release(reservation)
            return .failure(
                OutcomeError(
                    Outcome(
                        response: JSONResponse.make(
                            .badRequest, ["error": "Bad Request", "reason": "unreadable_body"]),
                        label: "unreadable_body", detail: "\(error)")))
        }
    }

    /// Sends with a hard deadline; returns a description of the failure, nil on success.
    private func enqueue(_ queued: QueuedWebhook, groupId: String, on queue: any MessageQueue) async -> String? {
        let message = queued.outgoingMessage(groupId: groupId)
        let started = ContinuousClock.now
        defer { metrics.recordEnqueue(ContinuousClock.now - started) }
        do {
            try await enqueueDeadline.run { try await queue.send(message) }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// `12.34`: milliseconds with two decimals (integer arithmetic; `String(format:)` is slow on Linux).
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + attoseconds / 10_000_000_000_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// Lets `readBody` return an early answer through `Result`.
struct OutcomeError: Error {
    let outcome: WebhookHandler.Outcome
    init(_ outcome: WebhookHandler.Outcome) { self.outcome = outcome }
}
