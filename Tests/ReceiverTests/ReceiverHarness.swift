import AWSCore
import BenchlingSandbox
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONCore
import Logging
import MessageQueue
import NIOCore
import Receiver
import ServiceLifecycle
import TestSupport

/// Where the receiver under test gets its configuration and queue.
enum Backend {
    /// Secrets Manager + CloudFormation + SQS FIFO in moto (IAM enforced), receiver run with `credentials`.
    /// `queueOutsidePolicy` names the queue so that the receiver's policy does not allow sending to it.
    case moto(credentials: Credentials = .receiver, queueOutsidePolicy: Bool = false)
    /// File secret + SQLite queue: the embedded default.
    case embedded

    enum Credentials { case receiver, restricted }
}

/// One running receiver with its stand-ins: the sandbox (JWKS + signer), the secret, and an independent view
/// of the queue for assertions.
struct ReceiverFixture: Sendable {
    let sandbox: SandboxTenant
    let clock: TestClock
    /// The queue as a separate client sees it (admin credentials for SQS).
    let queue: any MessageQueue
    /// Replaces the secret's text (to heal a degraded receiver).
    let writeSecret: @Sendable (String) async throws -> Void
    /// A valid secret for this backend (before `secretEdit`).
    let goodSecret: String
    /// The application under test (set once it is built).
    let application: ReceiverApplication?

    func with(_ application: ReceiverApplication) -> ReceiverFixture {
        ReceiverFixture(
            sandbox: sandbox, clock: clock, queue: queue, writeSecret: writeSecret, goodSecret: goodSecret,
            application: application)
    }

    /// Drains everything visible now (short waits), deleting what it read.
    func drainQueue() async throws -> [ReceivedMessage] {
        var all: [ReceivedMessage] = []
        while true {
            let batch = try await queue.receive(maxMessages: 10, waitTime: .milliseconds(500), visibilityTimeout: nil)
            if batch.isEmpty { return all }
            for message in batch { try await queue.delete(message) }
            all += batch
        }
    }
}

/// Description of what to start.
struct ReceiverSetup {
    var backend: Backend = .embedded
    var allowList = ""
    var verification = true
    /// When set, the secret is not created at start (degraded start) — this text is what `writeSecret` may fix.
    var startWithoutSecret = false
    /// Do not wait for `/health/ready` before the test body (for secrets that cannot resolve).
    var skipReadyWait = false
    var secretEdit: (inout SecretDocument) -> Void = { _ in }
    var settingsEdit: (inout ReceiverSettings) -> Void = { _ in }
    var clock = TestClock(Date())
    /// The application's logger (default: the harness's, quiet unless RECEIVER_TEST_LOG is set).
    var logger: Logger?

    /// Whether the harness waits for `/health/ready` (and the JWKS) before the test body.
    var waitsForReady: Bool { !startWithoutSecret && !skipReadyWait }
}

enum ReceiverHarness {
    static let logger: Logger = {
        var logger = Logger(label: "receiver-test")
        logger.logLevel = ProcessInfo.processInfo.environment["RECEIVER_TEST_LOG"] == nil ? .critical : .debug
        return logger
    }()

    /// Runs the receiver with Hummingbird's live test client (a real socket, one connection).
    static func run(
        _ setup: ReceiverSetup = ReceiverSetup(),
        _ test: @Sendable (any TestClientProtocol, ReceiverFixture) async throws -> Void
    ) async throws {
        let waits = setup.waitsForReady
        try await withFixture(setup) { fixture, build in
            let receiver = build { _ in }
            try await receiver.application.test(.live) { client in
                try await waitUntilUsable(waits, receiver: receiver, ready: { try await client.waitUntilReady() }) {
                    String(buffer: try await client.get("/health/ready").body)
                }
                try await test(client, fixture.with(receiver))
            }
        }
    }

    /// Runs the receiver as production does: its application as a service of a ServiceGroup, listening on a
    /// free port (learnt through `onServerRunning`). The test may shut the group down gracefully itself
    /// (`RunningReceiver.triggerGracefulShutdown`); otherwise that happens when it returns.
    static func runServing(
        _ setup: ReceiverSetup = ReceiverSetup(),
        _ test: @Sendable (RunningReceiver, ReceiverFixture) async throws -> Void
    ) async throws {
        try await withFixture(setup) { fixture, build in
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
            let receiver = build { channel in
                if let port = channel.localAddress?.port { portContinuation.yield(port) }
                portContinuation.finish()
            }
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [receiver.application], gracefulShutdownSignals: [], logger: setup.logger ?? logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let port = try await firstValue(of: ports, timeout: .seconds(30), what: "the receiver's port")
                let running = RunningReceiver(port: port, group: group)
                do {
                    try await waitUntilUsable(
                        setup.waitsForReady, receiver: receiver, ready: { try await running.isReady() }
                    ) {
                        "health/ready never answered 200"
                    }
                    try await test(running, fixture.with(receiver))
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    /// Everything but the running application: sandbox, work folder, secret, queue, settings.
    private static func withFixture(
        _ setup: ReceiverSetup,
        _ body: (ReceiverFixture, _ build: (@escaping @Sendable (any Channel) async -> Void) -> ReceiverApplication)
            async throws -> Void
    ) async throws {
        let sandbox = try await SandboxTenant.start()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-test-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let (fixture, settings) = try await prepare(setup, sandbox: sandbox, work: work)
            try await body(fixture) { onServerRunning in
                buildApplication(
                    settings: settings, logger: setup.logger ?? logger, onServerRunning: onServerRunning)
            }
        } catch {
            await sandbox.shutdown()
            try? FileManager.default.removeItem(at: work)
            throw error
        }
        await sandbox.shutdown()
        try? FileManager.default.removeItem(at: work)
    }

    private static func prepare(
        _ setup: ReceiverSetup, sandbox: SandboxTenant, work: URL
    ) async throws -> (ReceiverFixture, ReceiverSettings) {
        var secret = SecretDocument(
            appDefinitionId: sandbox.appDefinitionId, allowList: setup.allowList, verification: setup.verification,
            userBucket: "file://" + work.appendingPathComponent("registry").path)
        // The sandbox is the tenant: deliveries name its base URL, and the receiver refuses other tenants.
        var environment: [String: String] = [
            "BENCHLING_JWKS_URL": sandbox.jwksURL.absoluteString, "BENCHLING_BASE_URL": sandbox.baseURL.absoluteString,
        ]
        let queue: any MessageQueue
        let writeSecret: @Sendable (String) async throws -> Void
        var queueAddress: String

        switch setup.backend {
        case .embedded:
            let secretURL = work.appendingPathComponent("secret.json")
            queueAddress = "sqlite://" + work.appendingPathComponent("queue.db").path
            queue = try SQLiteQueue(address: SQLiteQueueAddress(parsing: queueAddress))
            environment["BenchlingSecret"] = secretURL.absoluteString
            writeSecret = { text in try Data(text.utf8).write(to: secretURL) }
        case .moto(let credentials, let queueOutsidePolicy):
            let moto = try await MotoResources.create(queueOutsidePolicy: queueOutsidePolicy)
            secret["USER_BUCKET"] = .string(moto.bucket)
            queueAddress = moto.queueURL
            queue = moto.adminQueue
            environment.merge(moto.receiverEnvironment(credentials)) { _, new in new }
            writeSecret = { text in try await moto.putSecret(text) }
        }
        let goodSecret = secret.text
        setup.secretEdit(&secret)
        if !setup.startWithoutSecret { try await writeSecret(secret.text) }

        var settings = ReceiverSettings(
            environment: environment, host: "127.0.0.1", port: 0, queueAddress: queueAddress,
            retry: .init(baseDelay: .milliseconds(50), maxDelay: .milliseconds(250)),
            now: setup.clock.function)
        // The production 2 s enqueue deadline is under test in EnqueueTimeoutTests only; elsewhere a shared moto
        // serving the whole parallel suite on 2 cores can take longer than that, and a 503 there says nothing
        // about what those tests check.
        settings.enqueueTimeout = .seconds(20)
        // The test client plays the load balancer: its X-Forwarded-For is believed.
        settings.trustedProxies = try TrustedProxies.parse("127.0.0.1")
        setup.settingsEdit(&settings)
        let fixture = ReceiverFixture(
            sandbox: sandbox, clock: setup.clock, queue: queue, writeSecret: writeSecret, goodSecret: goodSecret,
            application: nil)
        return (fixture, settings)
    }

    /// Waits for `/health/ready` and for the JWKS (unless the setup expects neither).
    private static func waitUntilUsable(
        _ waits: Bool, receiver: ReceiverApplication, ready: () async throws -> Bool,
        why: () async throws -> String
    ) async throws {
        guard waits else { return }
        if try await !ready() { throw HarnessError("receiver never became ready: \(try await why())") }
        if case .ready(let runtime) = receiver.supervisor.state, let verifier = runtime.verifier {
            // Ready does not mean the JWKS pre-warm succeeded (on a loaded machine it can time out); tests that
            // judge verdicts need the keys, so wait for them (the cache retries every few seconds).
            let deadline = ContinuousClock.now + .seconds(60)
            while await verifier.keys.currentKeys() == nil {
                guard ContinuousClock.now < deadline else { throw HarnessError("the JWKS never loaded") }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// The first element of `stream`, or an error after `timeout`.
    static func firstValue<T: Sendable>(
        of stream: AsyncStream<T>, timeout: Duration, what: String
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                for await value in stream { return value }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw HarnessError("no \(what) within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let value = try await group.next() ?? nil else {
                throw HarnessError("no \(what): the server stopped")
            }
            return value
        }
    }
}

/// The receiver running in a ServiceGroup on a real port.
struct RunningReceiver: Sendable {
    let port: Int
    let group: ServiceGroup

    /// What SIGTERM does in production: ServiceLifecycle's graceful shutdown of the whole group.
    func triggerGracefulShutdown() async {
        await group.triggerGracefulShutdown()
    }

    /// A request on a connection of its own.
    func execute(
        _ path: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: ByteBuffer? = nil
    ) async throws -> TestClient.Response {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.execute(TestClient.Request(path, method: method, headers: headers, body: body))
        }
    }

    /// Polls `/health/ready` until 200. A request the server cut off (a loaded machine can outlast a short
    /// request timeout a test sets) is an answer of "not yet", not a failure of the test.
    func isReady(timeout: Duration = .seconds(60)) async throws -> Bool {
        try await eventually(timeout: timeout, every: .milliseconds(50)) {
            (try? await execute("/health/ready"))?.status == .ok
        }
    }
}

// MARK: - Requests

extension TestClientProtocol {
    /// POSTs a body with the given headers (names in any case) plus extra headers.
    func post(
        _ path: String, body: Data, headers: [(name: String, value: String)], extra: [(String, String)] = []
    ) async throws -> TestResponse {
        var fields = HTTPFields()
        for (name, value) in headers + extra.map({ (name: $0.0, value: $0.1) }) {
            fields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        return try await execute(uri: path, method: .post, headers: fields, body: ByteBuffer(bytes: body))
    }

    func post(_ path: String, _ delivery: SignedDelivery, extra: [(String, String)] = []) async throws -> TestResponse {
        try await post(path, body: delivery.body, headers: delivery.headers, extra: extra)
    }

    func get(_ path: String, extra: [(String, String)] = []) async throws -> TestResponse {
        var fields = HTTPFields()
        for (name, value) in extra { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return try await execute(uri: path, method: .get, headers: fields)
    }

    /// Polls `/health` until its mode is `mode`.
    func waitForMode(_ mode: String, timeout: Duration = .seconds(60)) async throws -> Bool {
        try await eventually(timeout: timeout, every: .milliseconds(50)) {
            try await get("/health").json["mode"]?.stringValue == mode
        }
    }

    /// Polls `/health/ready` until 200 (short back-off), for at most `timeout`.
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws -> Bool {
        try await eventually(timeout: timeout, every: .milliseconds(50)) {
            try await get("/health/ready").status == .ok
        }
    }
}

extension TestResponse {
    var json: JSONValue { (try? JSONValue.parse(Array(body.readableBytesView))) ?? .null }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
