import AsyncHTTPClient
import Foundation
import JSONCore
import NIOCore

/// Client-credentials OAuth for the Benchling API, with a cached token.
///
/// The token is refreshed before it expires (10 % of its lifetime early, clamped to 1–60 s) and on demand after a
/// 401. Fetches are single-flight: concurrent callers share one token request.
actor OAuthTokenProvider {
    private struct Token {
        let value: String
        let refreshAt: Date
    }

    private let tokenURL: String
    private let authorization: String
    private let httpClient: HTTPClient
    private let timeout: TimeAmount
    private let now: @Sendable () -> Date
    private var token: Token?
    private var inFlight: Task<String, any Error>?

    init(
        tokenURL: String, clientId: String, clientSecret: String, httpClient: HTTPClient, timeout: TimeAmount,
        now: @escaping @Sendable () -> Date
    ) {
        self.tokenURL = tokenURL
        self.authorization = "Basic " + Data("\(clientId):\(clientSecret)".utf8).base64EncodedString()
        self.httpClient = httpClient
        self.timeout = timeout
        self.now = now
    }

    /// A valid access token, fetching one if needed.
    func accessToken() async throws -> String {
        if let token, now() < token.refreshAt { return token.value }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await self.fetchAndStore() }
        inFlight = task
        return try await task.value
    }

    /// Drops `value` if it is still the cached token (so a burst of 401s causes one refresh, not many).
    func invalidate(_ value: String) {
        if token?.value == value { token = nil }
    }

    private func fetchAndStore() async throws -> String {
        defer { inFlight = nil }
        let operation = "POST /api/v2/token"
        var request = HTTPClientRequest(url: tokenURL)
        request.method = .POST
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: "grant_type=client_credentials"))
        let started = now()
        let (status, serverWait, body) = try await BenchlingClient.send(
            request, using: httpClient, timeout: timeout, operation: operation)
        let json = try? JSONValue.parse(body.readableBytesView)
        guard (200..<300).contains(status) else {
            throw BenchlingError.http(
                status: status, operation: operation, body: json, retryAfter: serverWait)
        }
        guard let value = json?["access_token"]?.stringValue else {
            throw BenchlingError(kind: .invalidResponse("no access_token"), operation: operation)
        }
        let lifetime: Double = json?["expires_in"]?.doubleValue ?? 900
        let early: Double = Swift.min(Swift.max(lifetime * 0.1, 1), 60)
        token = Token(value: value, refreshAt: started.addingTimeInterval(Swift.max(lifetime - early, 0)))
        return value
    }
}
