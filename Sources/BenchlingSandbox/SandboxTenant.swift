import Crypto
import Foundation
import Hummingbird
import JSONCore
import Logging
import ServiceLifecycle

/// A Benchling tenant on loopback: OAuth tokens, entries, exports with downloadable ZIPs, app canvases, a JWKS and
/// signed webhook deliveries, with switches for the failures a real tenant shows (429, 5xx, slow answers, FAILED
/// tasks, 403/404 entries, expired tokens).
///
/// Tests and the product's `dev` command use it as `BENCHLING_BASE_URL` / `BENCHLING_JWKS_URL`. Every request is
/// recorded so a test can check what the product sent against Benchling's OpenAPI spec
/// (`validateRecordedRequests`).
public final class SandboxTenant: Sendable {
    /// `http://HOST:PORT`; the REST API lives under `/api/v2`.
    public let baseURL: URL
    /// `baseURL/api/v2`.
    public let apiURL: URL
    /// `baseURL/jwks` (no auth, like `apps.benchling.com/api/v1/apps/{id}/jwks`).
    public let jwksURL: URL
    public let port: Int
    public let clientId: String
    /// The client secret the tenant started with (`rotateClientSecret` changes what it accepts).
    public let clientSecret: String
    public let tenantId: String
    public let appId: String
    public let appDefinitionId: String

    let state: SandboxState
    private let server: Task<Void, any Error>
    private let group: ServiceGroup
    private let ownedWorkDirectory: URL?
    private let signer: WebhookSigner

    private init(
        port: Int, host: String, state: SandboxState, server: Task<Void, any Error>, group: ServiceGroup,
        ownedWorkDirectory: URL?
    ) {
        let base = URL(string: "http://\(host):\(port)")!
        self.baseURL = base
        self.apiURL = base.appendingPathComponent("api/v2")
        self.jwksURL = base.appendingPathComponent("jwks")
        self.port = port
        let options = state.options
        self.clientId = options.clientId
        self.clientSecret = options.clientSecret
        self.tenantId = options.tenantId
        self.appId = options.appId
        self.appDefinitionId = options.appDefinitionId
        self.state = state
        self.server = server
        self.group = group
        self.ownedWorkDirectory = ownedWorkDirectory
        self.signer = WebhookSigner(
            tenantId: options.tenantId, appId: options.appId, appDefinitionId: options.appDefinitionId,
            appVersionNumber: options.appVersionNumber)
    }

    /// Starts the sandbox and returns once it accepts connections. `port: 0` picks a free port.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, options: SandboxOptions = SandboxOptions(),
        startTimeout: Duration = .seconds(15)
    ) async throws -> SandboxTenant {
        let ownedDirectory: URL? =
            options.workDirectory == nil
            ? FileManager.default.temporaryDirectory.appendingPathComponent("benchling-sandbox-\(UUID().uuidString)")
            : nil
        let workDirectory = options.workDirectory ?? ownedDirectory!
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)

        let state = SandboxState(options: options, workDirectory: workDirectory)
        let signal = StartupSignal()
        let app = Application(
            responder: SandboxResponder(state: state),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                if let bound = channel.localAddress?.port {
                    await signal.succeed(port: bound)
                } else {
                    await signal.fail(SandboxError.noBoundPort)
                }
            },
            logger: options.logger)
        // Our own group (no signal handling: the host process owns its signals) so shutdown can be graceful.
        let group = ServiceGroup(services: [app], logger: options.logger)
        let server = Task {
            do {
                try await group.run()
                await signal.fail(SandboxError.serverStopped)
            } catch {
                await signal.fail(error)
                throw error
            }
        }
        let bound: Int
        do {
            bound = try await signal.wait(timeout: startTimeout)
        } catch {
            server.cancel()
            if let ownedDirectory { try? FileManager.default.removeItem(at: ownedDirectory) }
            throw error
        }
        let sandbox = SandboxTenant(
            port: bound, host: host, state: state, server: server, group: group, ownedWorkDirectory: ownedDirectory)
        await state.setBaseURL(sandbox.baseURL.absoluteString)
        return sandbox
    }

    /// Stops the server gracefully (cancelling it after `timeout`) and removes the sandbox's temporary files.
    public func shutdown(timeout: Duration = .seconds(5)) async {
        await group.triggerGracefulShutdown()
        let finished = await withTaskGroup(of: Bool.self) { tasks in
            tasks.addTask { [server] in
                _ = await server.result
                return true
            }
            tasks.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await tasks.next() ?? false
            tasks.cancelAll()
            return first
        }
        if !finished {
            server.cancel()
            _ = await server.result
        }
        if let ownedWorkDirectory { try? FileManager.default.removeItem(at: ownedWorkDirectory) }
    }

    // MARK: Seeding entries

    /// Adds (or replaces) an entry.
    public func addEntry(_ entry: SandboxEntry) async { await state.add(entry: entry) }

    /// Adds an entry with default content and returns it.
    @discardableResult
    public func addEntry(
        id: String, displayId: String, name: String = "Sandbox experiment",
        exportFiles: [ExportMember]? = nil
    ) async -> SandboxEntry {
        var entry = SandboxEntry(id: id, displayId: displayId, name: name)
        entry.exportFiles = exportFiles
        await state.add(entry: entry)
        return entry
    }

    public func entry(_ id: String) async -> SandboxEntry? { await state.entry(id) }

    /// Adds (or replaces) an object entries link to, readable by id and by bulk-get (for name lookups).
    public func addNamedObject(_ object: SandboxNamedObject) async { await state.add(namedObject: object) }

    /// Changes a stored entry in place (e.g. `$0.exportOutcome = .fail(message: "…")`, `$0.access = .forbidden`).
    public func updateEntry(_ id: String, _ change: @escaping @Sendable (inout SandboxEntry) -> Void) async {
        await state.updateEntry(id, change)
    }

    /// The `EntryById` JSON the sandbox serves for `id`.
    public func entryJSON(_ id: String) async -> JSONValue? {
        guard let entry = await state.entry(id) else { return nil }
        return ["entry": entry.json(baseURL: baseURL.absoluteString)]
    }

    // MARK: Canvases

    /// Adds a canvas owned by `appId` (default: the sandbox's app) and returns it.
    @discardableResult
    public func addCanvas(
        id: String, resourceId: String, featureId: String = "quilt_entry", appId: String? = nil,
        blocks: [JSONValue] = [], enabled: Bool = true
    ) async -> SandboxCanvas {
        var canvas = SandboxCanvas(
            id: id, resourceId: resourceId, featureId: featureId, appId: appId ?? self.appId, blocks: blocks)
        canvas.enabled = enabled
        await state.add(canvas: canvas)
        return canvas
    }

    /// Current state of a canvas.
    public func canvas(_ id: String) async -> SandboxCanvas? { await state.canvas(id) }

    /// Every PATCH body sent to the canvas, in order (rejected ones included).
    public func canvasHistory(_ id: String) async -> [JSONValue] { await state.canvasHistory(id) }

    /// A user clicks `buttonId`: the canvas becomes disabled (as in Benchling) and the signed
    /// `v2.canvas.userInteracted` delivery to send to the receiver is returned.
    public func pressButton(
        canvasId: String, buttonId: String, userId: String = "ent_sandboxuser", timestamp: Date = Date()
    ) async throws -> SignedDelivery {
        let featureId = await state.disable(canvasId: canvasId)?.featureId ?? "quilt_entry"
        return try await signedDelivery(
            message: .canvasUserInteracted(
                canvasId: canvasId, buttonId: buttonId, featureId: featureId,
                userId: userId),
            timestamp: timestamp)
    }

    // MARK: Faults, tokens, counters

    /// The next `count` requests of `route` show `fault` (faults queue in order of injection).
    public func inject(_ fault: SandboxFault, count: Int = 1, route: SandboxRoute = .any) async {
        await state.inject(fault, count: count, route: route)
    }

    public func clearFaults() async { await state.clearFaults() }

    /// Invalidates every issued token: the next API call answers 401 until the client fetches a new token.
    public func expireAllTokens() async { await state.expireAllTokens() }

    /// An administrator regenerates the app's client secret: from now on the token endpoint accepts only `secret`
    /// (the old one gets 401 `invalid_client`). With `revokeTokens`, every token issued so far is refused as well,
    /// as when the tenant revokes the app's sessions.
    public func rotateClientSecret(to secret: String, revokeTokens: Bool = true) async {
        await state.rotateClientSecret(to: secret, revokeTokens: revokeTokens)
    }

    public func counters() async -> SandboxCounters { await state.counters }

    // MARK: Recording

    /// Every request received, in arrival order (Authorization values redacted).
    public func recordedRequests() async -> [RecordedRequest] { await state.recordedRequests() }

    public func clearRecordedRequests() async { await state.clearRecordedRequests() }

    // MARK: Webhooks and keys

    /// A delivery signed with the current key: envelope around `message`, `webhook-id` (default `msg_…`),
    /// `webhook-timestamp` (default now).
    public func signedDelivery(
        message: SandboxMessage, webhookId: String? = nil, timestamp: Date = Date()
    ) async throws -> SignedDelivery {
        let envelope = signer.envelope(message: message, baseURL: baseURL.absoluteString)
        return try WebhookSigner.delivery(
            envelope: envelope, webhookId: webhookId ?? "msg_" + RandomID.make(length: 20),
            timestamp: Int(timestamp.timeIntervalSince1970), key: await state.signingKey())
    }

    /// Signs an arbitrary body (e.g. a hand-made or tampered envelope) with the current key.
    public func sign(body: Data, webhookId: String, timestamp: Int) async throws -> String {
        try WebhookSigner.sign(body: body, webhookId: webhookId, timestamp: timestamp, key: await state.signingKey())
    }

    /// Switches to a freshly generated signing key. With `keepPrevious` the JWKS keeps the old key as well.
    public func rotateSigningKey(keepPrevious: Bool = false) async {
        await state.rotateSigningKey(keepPrevious: keepPrevious)
    }

    /// The JWK set currently published at `jwksURL`.
    public func jwks() async -> JSONValue { await state.publishedKeys() }

    /// The current signing key's public half.
    public func signingPublicKey() async -> P256.Signing.PublicKey { await state.signingKey().publicKey }
}
