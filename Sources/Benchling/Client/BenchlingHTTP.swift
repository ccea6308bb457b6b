import AsyncHTTPClient
import NIOCore

/// Builds the HTTP client the Benchling calls use, with the timeouts the product relies on: a short connect
/// timeout (a dead endpoint must fail fast, not after the OS default) and an idle read timeout that bounds
/// streamed bodies (AsyncHTTPClient's per-request deadline only covers the response head).
/// Redirects are not followed: no API call expects one (and one must not carry the bearer token elsewhere), and
/// export downloads follow theirs hop by hop, each hop checked by `ExportDownloadPolicy`.
/// The caller owns the client and must `shutdown()` it.
public enum BenchlingHTTP {
    public static func makeHTTPClient(
        connectTimeout: TimeAmount = .seconds(2), readTimeout: TimeAmount = .seconds(60)
    ) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: connectTimeout, read: readTimeout)
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
