import AsyncHTTPClient
import Foundation
import JSONCore
import Logging
import NIOCore
import NIOFoundationCompat

/// The Benchling REST API v2, authenticated with the app's client credentials.
///
/// A value type holding only immutable settings and a shared token provider, so it is `Sendable` and can be
/// used from many tasks at once without an actor hop. Every call has an explicit deadline and is retried per
/// `BenchlingRetryPolicy` (429 honouring `x-rate-limit-reset`/`Retry-After`, 500/502/503/504, connection errors); a 401 is
/// retried once after fetching a new token. Failures are `BenchlingError` (or `CancellationError`).
public struct BenchlingClient: Sendable {
    public struct Settings: Sendable {
        /// Deadline for one API request until its response head.
        public var requestTimeout: TimeAmount = .seconds(30)
        /// Deadline for one token request.
        public var tokenTimeout: TimeAmount = .seconds(10)
        /// Deadline for a download until its response head (the body is bounded by the client's read timeout).
        public var downloadHeadTimeout: TimeAmount = .seconds(60)
        /// Largest JSON answer read into memory.
        public var maxResponseBytes: Int = 64 << 20
        public var retry: BenchlingRetryPolicy = .default

        public init() {}
    }

    /// `https://{tenant}.benchling.com` (no `/api/v2`); see `BenchlingEndpoints.baseURL`.
    public let baseURL: String
    public let settings: Settings
    let httpClient: HTTPClient
    let tokens: OAuthTokenProvider
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    /// - Parameters:
    ///   - httpClient: production should pass `BenchlingHTTP.makeHTTPClient()` (2 s connect, idle read timeout).
    ///   - sleep: how backoff waits; injectable so tests can observe delays.
    public init(
        baseURL: String, clientId: String, clientSecret: String, httpClient: HTTPClient = .shared,
        settings: Settings = Settings(), now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "benchling.client")
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/api/v2") { base.removeLast("/api/v2".count) }
        self.baseURL = base
        self.settings = settings
        self.httpClient = httpClient
        self.now = now
        self.sleep = sleep
        self.logger = logger
        self.tokens = OAuthTokenProvider(
            tokenURL: base + "/api/v2/token", clientId: clientId, clientSecret: clientSecret,
            httpClient: httpClient, timeout: settings.tokenTimeout, now: now)
    }

    /// Fetches a token now (start-up check of the credentials). Throws a permanent error for bad credentials.
    public func checkCredentials() async throws {
        _ = try await tokens.accessToken()
    }

    // MARK: - Calls

    /// `GET /entries/{id}`; `Entry.raw` is the entry object unchanged (for `entry_data.json`).
    public func getEntry(_ id: String) async throws -> Entry {
        try Entry(json: try await call(.get, "/entries/\(Self.segment(id))"))
    }

    /// `GET /app-canvases/{id}`.
    public func getCanvas(_ id: String) async throws -> AppCanvas {
        try AppCanvas(json: try await call(.get, "/app-canvases/\(Self.segment(id))"))
    }

    /// `PATCH /app-canvases/{id}` with exactly the fields set in `update`.
    @discardableResult
    public func updateCanvas(_ id: String, _ update: AppCanvasUpdate) async throws -> AppCanvas {
        try AppCanvas(json: try await call(.patch, "/app-canvases/\(Self.segment(id))", body: update.json))
    }

    /// `POST /app-canvases`.
    @discardableResult
    public func createCanvas(_ create: AppCanvasCreate) async throws -> AppCanvas {
        try AppCanvas(json: try await call(.post, "/app-canvases", body: create.json))
    }

    /// `POST /exports` `{"id": entryId}` (optionally `format`: pdf | html); returns the task id.
    public func startExport(entryId: String, format: String? = nil) async throws -> String {
        var body: JSONObject = ["id": .string(entryId)]
        if let format { body["format"] = .string(format) }
        let json = try await call(.post, "/exports", body: JSONValue.object(body))
        guard let taskId = json["taskId"]?.stringValue else {
            throw BenchlingError(kind: .invalidResponse("no taskId"), operation: "POST /exports")
        }
        return taskId
    }

    /// `GET /tasks/{id}`.
    public func getTask(_ id: String) async throws -> AsyncTask {
        try AsyncTask(json: try await call(.get, "/tasks/\(Self.segment(id))"))
    }

    // MARK: - Core

    /// One API call with auth, retries and error mapping; returns the parsed JSON answer (`.null` when empty).
    func call(_ method: APIMethod, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        let operation = "\(method.rawValue) \(path)"
        var attempt = 0
        var refreshedAfter401 = false
        while true {
            attempt += 1
            do {
                let token = try await tokens.accessToken()
                var request = HTTPClientRequest(url: baseURL + "/api/v2" + path)
                switch method {
                case .get: request.method = .GET
                case .post: request.method = .POST
                case .patch: request.method = .PATCH
                }
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.headers.add(name: "Accept", value: "application/json")
                if let body {
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: body.compactString()))
                }
                let (status, serverWait, buffer) = try await Self.send(
                    request, using: httpClient, timeout: settings.requestTimeout, operation: operation,
                    maxBytes: settings.maxResponseBytes)
                let json = buffer.readableBytes == 0 ? JSONValue.null : try? JSONValue.parse(buffer.readableBytesView)
                if (200..<300).contains(status) {
                    guard let json else {
                        throw BenchlingError(kind: .invalidResponse("body is not JSON"), operation: operation)
                    }
                    return json
                }
                if status == 401 && !refreshedAfter401 {
                    refreshedAfter401 = true
                    attempt -= 1
                    await tokens.invalidate(token)
                    continue
                }
                throw BenchlingError.http(
                    status: status, operation: operation, body: json, retryAfter: serverWait)
            } catch let error as BenchlingError where error.isRetryable && attempt < settings.retry.maxAttempts {
                let delay = settings.retry.delay(afterAttempt: attempt, serverWait: error.retryAfter)
                logger.warning(
                    "Benchling call failed; retrying",
                    metadata: [
                        "operation": "\(operation)", "attempt": "\(attempt)", "error": "\(error)", "delay": "\(delay)",
                    ])
                try await sleep(delay)
            }
        }
    }

    /// Sends one request and reads the whole answer (up to `maxBytes`); transport failures become `.connection`.
    static func send(
        _ request: HTTPClientRequest, using httpClient: HTTPClient, timeout: TimeAmount, operation: String,
        maxBytes: Int = 1 << 20
    ) async throws -> (status: Int, serverWait: Double?, body: ByteBuffer) {
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: maxBytes)
            return (Int(response.status.code), serverWait(response.headers), body)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw BenchlingError(kind: .connection(String(describing: error)), operation: operation)
        }
    }

    /// Seconds to wait from `x-rate-limit-reset` (Benchling) or `Retry-After` (seconds form).
    static func serverWait(_ headers: some Sequence<(name: String, value: String)>) -> Double? {
        for wanted in ["x-rate-limit-reset", "retry-after"] {
            for (name, value) in headers where name.lowercased() == wanted {
                if let seconds = Double(value.trimmingCharacters(in: CharacterSet.whitespaces)), seconds.isFinite,
                    seconds >= 0
                {
                    return seconds
                }
            }
        }
        return nil
    }

    /// Percent-encodes an id for use as one path segment.
    static func segment(_ id: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }
}

/// The HTTP methods the API calls use.
enum APIMethod: String, Sendable {
    case get = "GET", post = "POST", patch = "PATCH"
}
