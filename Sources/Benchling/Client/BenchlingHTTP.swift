import AsyncHTTPClient
import NIOCore

/// Builds the HTTP client the Benchling calls use, with the timeouts the product relies on: a short connect
/// timeout (a dead endpoint must fail fast, not after the OS default) and an idle read timeout that bounds
/// streamed bodies (AsyncHTTPClient's per-request deadline only covers the response head).
/// The caller owns the client and must `shutdown()` it.
public enum BenchlingHTTP {
    public static func makeHTTPClient(
        connectTimeout: TimeAmount = .seconds(2), readTimeout: TimeAmount = .seconds(60)
    ) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: connectTimeout, read: readTimeout)
        configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
