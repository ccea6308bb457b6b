import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// Signs, sends and retries AWS calls. One instance is shared by every service wrapper; it owns (or borrows) the
/// pooled `HTTPClient`. Call `shutdown()` when done if the client owns its `HTTPClient`.
public final class AWSClient: Sendable {
    /// Explicit limits for every exchange.
    public struct Timeouts: Sendable, Equatable {
        /// TCP/TLS connection establishment.
        public var connect: Duration
        /// Longest silence while waiting for bytes (applies to an owned HTTPClient). Must exceed SQS long-poll waits.
        public var read: Duration
        /// Default deadline for one attempt, whole exchange included (requests may override).
        public var request: Duration

        public init(connect: Duration = .seconds(10), read: Duration = .seconds(30), request: Duration = .seconds(120))
        {
            self.connect = connect
            self.read = read
            self.request = request
        }
    }

    public let region: AWSRegion
    public let endpoints: AWSEndpointResolver
    public let credentialProvider: any CredentialProvider
    public let retryPolicy: RetryPolicy
    public let timeouts: Timeouts
    public let logger: Logger
    let httpClient: HTTPClient
    private let ownsHTTPClient: Bool

    /// - Parameters:
    ///   - httpClient: an existing client to borrow (its own timeouts then apply for connect/read); nil creates
    ///     and owns one configured with `timeouts`.
    ///   - connectionsPerHost: the owned client's connection pool per host (AsyncHTTPClient's default when nil);
    ///     with HTTP/1.1 it bounds the calls in flight to one service.
    public init(
        region: AWSRegion, credentialProvider: any CredentialProvider = CredentialProviderChain(),
        endpoints: AWSEndpointResolver = .fromEnvironment(), retryPolicy: RetryPolicy = .default,
        timeouts: Timeouts = Timeouts(), httpClient: HTTPClient? = nil, connectionsPerHost: Int? = nil,
        logger: Logger = Logger(label: "aws")
    ) {
        self.region = region
        self.endpoints = endpoints
        self.credentialProvider = credentialProvider
        self.retryPolicy = retryPolicy
        self.timeouts = timeouts
        self.logger = logger
        if let httpClient {
            self.httpClient = httpClient
            ownsHTTPClient = false
        } else {
            var configuration = HTTPClient.Configuration()
            configuration.timeout = HTTPClient.Configuration.Timeout(
                connect: Self.timeAmount(timeouts.connect), read: Self.timeAmount(timeouts.read))
            configuration.decompression = .disabled
            // Nothing here traces; the default (the global no-op tracer) still builds a span's attributes per call.
            configuration.tracing.tracer = nil
            if let connectionsPerHost {
                configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
                    idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
            }
            self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            ownsHTTPClient = true
        }
    }

    /// Shuts down the owned HTTPClient (no-op for a borrowed one).
    public func shutdown() async throws {
        if ownsHTTPClient { try await httpClient.shutdown() }
    }

    // MARK: sending

    /// Sends a request, retrying per the policy, and returns the collected body (at most `maxBodyBytes`).
    /// Non-2xx/3xx answers throw `AWSError`.
    public func send(_ request: AWSRequest, maxBodyBytes: Int = 64 << 20) async throws -> AWSResponse {
        try await perform(request) { response, headers in
            let body = try await response.body.collect(upTo: maxBodyBytes)
            return AWSResponse(statusCode: Int(response.status.code), headers: headers, body: Data(buffer: body))
        }
    }

    /// Sends a request and streams the body into `file` (written to a temporary sibling and moved into place only
    /// when complete, so a failed or retried download never leaves a partial file under the final name).
    public func download(_ request: AWSRequest, to file: URL) async throws -> AWSResponse {
        let temporary = file.deletingLastPathComponent()
            .appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).partial")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let result = try await perform(request) { response, headers in
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw AWSClientError(
                    .invalidRequest, service: request.service, operation: request.operation,
                    detail: "cannot create \(temporary.path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            for try await chunk in response.body {
                try handle.write(contentsOf: chunk.readableBytesView)
            }
            try handle.synchronize()
            return AWSResponse(statusCode: Int(response.status.code), headers: headers, body: Data())
        }
        if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
        try FileManager.default.moveItem(at: temporary, to: file)
        return result
    }

    private func perform<T: Sendable>(
        _ request: AWSRequest, handle: (HTTPClientResponse, [(name: String, value: String)]) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            // A cancelled caller (an answered-late webhook, a stopping worker) wants no more attempts: each
            // retry would still land at the service and add load exactly when it is overloaded.
            if attempt > 1 { try Task.checkCancellation() }
            do {
                return try await attemptOnce(request, handle: handle)
            } catch let error as AWSError
                where retryPolicy.isRetryable(error) && attempt < retryPolicy.maxAttempts && !Task.isCancelled
            {
                await backOff(request, attempt: attempt, reason: error.description)
            } catch let error as AWSClientError
                where (error.kind == .transport || error.kind == .timeout) && attempt < retryPolicy.maxAttempts
                && !Task.isCancelled
            {
                await backOff(request, attempt: attempt, reason: error.description)
            }
        }
    }

    private func backOff(_ request: AWSRequest, attempt: Int, reason: String) async {
        let delay = retryPolicy.delay(beforeRetry: attempt - 1)
        logger.debug(
            "retrying AWS call",
            metadata: [
                "operation": "\(request.service) \(request.operation)", "attempt": "\(attempt)",
                "delay": "\(delay)", "reason": "\(reason)",
            ])
        try? await Task.sleep(for: delay)
    }

    private func attemptOnce<T: Sendable>(
        _ request: AWSRequest, handle: (HTTPClientResponse, [(name: String, value: String)]) async throws -> T
    ) async throws -> T {
        let httpRequest = try await prepare(request)
        let deadline = NIODeadline.now() + Self.timeAmount(request.timeout ?? timeouts.request)
        do {
            let response = try await httpClient.execute(httpRequest, deadline: deadline, logger: logger)
            let headers = response.headers.map { (name: $0.name, value: $0.value) }
            let status = Int(response.status.code)
            guard (200..<400).contains(status) else {
                let body = (try? await response.body.collect(upTo: 1 << 20)).map { Data(buffer: $0) } ?? Data()
                throw AWSErrorParser.parse(
                    status: status, headers: headers.map { ($0.name, $0.value) }, body: body,
                    service: request.service, operation: request.operation,
                    iamAction: request.iamAction)
            }
            return try await handle(response, headers)
        } catch let error as AWSError {
            throw error
        } catch let error as AWSClientError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError {
            throw Self.classify(error, request)
        } catch {
            // NIO connection errors, resets, file write errors during a download: worth another attempt.
            throw AWSClientError(
                .transport, service: request.service, operation: request.operation,
                detail: "\(error)")
        }
    }

    static func classify(_ error: HTTPClientError, _ request: AWSRequest) -> AWSClientError {
        let timeouts: [HTTPClientError] = [
            .readTimeout, .connectTimeout, .deadlineExceeded, .writeTimeout,
            .tlsHandshakeTimeout,
        ]
        let invalid: [HTTPClientError] = [
            .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath,
            .bodyLengthMismatch, .requestStreamCancelled, .cancelled,
        ]
        let kind: AWSClientError.Kind =
            timeouts.contains(error)
            ? .timeout
            : invalid.contains(error) ? .invalidRequest : .transport
        return AWSClientError(kind, service: request.service, operation: request.operation, detail: "\(error)")
    }

    /// Builds the signed HTTP request for one attempt (fresh date and credentials each time).
    private func prepare(_ request: AWSRequest) async throws -> HTTPClientRequest {
        guard let base = URL(string: request.baseURL), let host = base.host else {
            throw AWSClientError(
                .invalidRequest, service: request.service, operation: request.operation,
                detail: "bad endpoint \(request.baseURL)")
        }
        let hostHeader = base.port.map { "\(host):\($0)" } ?? host
        let credentials = try await credentialProvider.credentials()

        var headers = request.headers
        headers.removeAll { $0.name.lowercased() == "host" }
        headers.append(("Host", hostHeader))
        let payloadHash: String
        switch (request.payloadSigning, request.body) {
        case (.unsigned, _): payloadHash = SigV4Signer.unsignedPayload
        case (.hashed, .empty): payloadHash = SigV4Signer.emptyPayloadHash
        case (.hashed, .data(let data)): payloadHash = SigV4Signer.payloadHash(data)
        case (.hashed, .file(let url, let offset, let length)):
            payloadHash = try FileChunks.sha256(url: url, offset: offset, length: length)
        }
        let signer = SigV4Signer(
            credentials: credentials, region: (request.signingRegion ?? region).name,
            service: request.service, options: request.signingOptions)
        let signable = SigV4Signer.Request(
            method: request.method, path: request.path, query: request.query,
            headers: headers)
        let signature = signer.signHeaders(signable, payloadHash: payloadHash, date: Date())

        let query = SigV4Signer.canonicalQuery(request.query)
        var httpRequest = HTTPClientRequest(url: request.baseURL + request.path + (query.isEmpty ? "" : "?" + query))
        httpRequest.method = .init(rawValue: request.method)
        for (name, value) in headers + signature.headersToAdd { httpRequest.headers.add(name: name, value: value) }
        httpRequest.headers.add(name: "User-Agent", value: "benchling-quilt-aws/1")
        switch request.body {
        case .empty:
            break
        case .data(let data):
            httpRequest.body = .bytes(ByteBuffer(data: data))
        case .file(let url, let offset, let length):
            httpRequest.body = .stream(FileChunks(url: url, offset: offset, length: length), length: .known(length))
        }
        return httpRequest
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
