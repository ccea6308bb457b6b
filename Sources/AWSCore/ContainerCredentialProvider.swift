import AsyncHTTPClient
import Foundation
import JSONCore
import NIOCore
import NIOFoundationCompat

/// Task-role credentials from the ECS container endpoint, as the AWS SDKs fetch them:
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` against `http://169.254.170.2`, or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` with an optional `Authorization` header from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read at every refresh) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// Credentials are cached and refreshed `refreshMargin` before they expire; concurrent callers share one
/// refresh (an actor holding the in-flight task), so a burst of requests makes one call to the endpoint.
public actor ContainerCredentialProvider: CredentialProvider {
    public static let ecsHost = "http://169.254.170.2"

    public nonisolated let endpoint: URL
    private let environment: [String: String]
    private let httpClient: HTTPClient
    private let timeout: TimeAmount
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date

    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?
    /// Number of calls made to the endpoint (observable for tests and logs).
    public private(set) var fetchCount = 0

    /// Returns nil when neither container variable is set (not running with a task role).
    public init?(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        httpClient: HTTPClient = .shared, timeout: TimeAmount = .seconds(5),
        refreshMargin: TimeInterval = 5 * 60, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty,
            let url = URL(string: Self.ecsHost + (relative.hasPrefix("/") ? relative : "/" + relative))
        {
            endpoint = url
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty,
            let url = URL(string: full)
        {
            endpoint = url
        } else {
            return nil
        }
        self.environment = environment
        self.httpClient = httpClient
        self.timeout = timeout
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, !needsRefresh(cached) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await self.fetch() }
        inFlight = task
        defer { inFlight = nil }
        do {
            let fresh = try await task.value
            cached = fresh
            return fresh
        } catch {
            // Still-valid credentials beat an outage of the endpoint; expired ones are useless.
            if let cached, let expiration = cached.expiration, expiration > now() { return cached }
            throw error
        }
    }

    private func needsRefresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) < refreshMargin
    }

    private func fetch() async throws -> AWSCredentials {
        fetchCount += 1
        try checkHostAllowed()
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        if let token = try authorizationToken() { request.headers.add(name: "Authorization", value: token) }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw CredentialProviderError(provider: "container", reason: "GET \(endpoint) failed: \(error)")
        }
        guard response.status == .ok else {
            throw CredentialProviderError(
                provider: "container",
                reason: "GET \(endpoint) answered \(response.status.code): \(String(buffer: body).prefix(200))")
        }
        return try Self.parse(Data(buffer: body))
    }

    /// Parses the endpoint's JSON (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`).
    public static func parse(_ data: Data) throws -> AWSCredentials {
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch {
            throw CredentialProviderError(provider: "container", reason: "response is not JSON: \(error)")
        }
        guard let key = json["AccessKeyId"]?.stringValue, let secret = json["SecretAccessKey"]?.stringValue else {
            throw CredentialProviderError(
                provider: "container",
                reason: "response lacks AccessKeyId/SecretAccessKey")
        }
        var expiration: Date?
        if let text = json["Expiration"]?.stringValue {
            guard let date = parseISO8601(text) else {
                throw CredentialProviderError(provider: "container", reason: "unreadable Expiration \(text)")
            }
            expiration = date
        }
        return AWSCredentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue,
            expiration: expiration)
    }

    static func parseISO8601(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    private func authorizationToken() throws -> String? {
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !file.isEmpty {
            do {
                return try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw CredentialProviderError(provider: "container", reason: "cannot read token file \(file): \(error)")
            }
        }
        if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty { return token }
        return nil
    }

    /// Like the SDKs: plain HTTP only to the ECS/EKS link-local addresses or loopback (credentials must not
    /// travel in clear text elsewhere).
    private func checkHostAllowed() throws {
        guard endpoint.scheme == "http" else { return }
        let host = (endpoint.host ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let allowed =
            host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23"
            || host == "localhost" || host == "::1" || host.hasPrefix("127.")
        guard allowed else {
            throw CredentialProviderError(
                provider: "container",
                reason: "refusing plain-HTTP credentials endpoint on host \(host)")
        }
    }
}
