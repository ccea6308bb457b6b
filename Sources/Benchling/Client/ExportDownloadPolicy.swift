import Foundation

/// Which URLs an export's `downloadURL` (and every redirect it answers with) may name.
///
/// The URL comes from Benchling's task answer, and the worker fetches it from inside the deployment's network, so
/// a forged or tampered answer must not turn the worker into a fetcher of arbitrary hosts (the task metadata
/// endpoint, internal services) or make it accept a plain-http hop. Allowed: the configured Benchling base URL's
/// own origin (scheme, host and port as configured: the tenant in production, the sandbox on loopback when
/// `BENCHLING_BASE_URL` says so), and over https only, Benchling's hosts and Amazon S3's, where Benchling keeps
/// exports.
public struct ExportDownloadPolicy: Sendable, Equatable {
    let origin: Origin

    struct Origin: Sendable, Equatable {
        var scheme: String
        var host: String
        var port: Int?
    }

    public init(benchlingBaseURL: String) {
        let url = URL(string: benchlingBaseURL)
        origin = Origin(
            scheme: url?.scheme?.lowercased() ?? "https", host: url?.host?.lowercased() ?? "", port: url?.port)
    }

    /// The URL when it may be fetched; otherwise a permanent error that names why (never the query string, which
    /// carries the pre-signed URL's signature).
    public func check(_ text: String, operation: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(),
            !host.isEmpty
        else {
            throw BenchlingError(
                kind: .invalidResponse("the export's download URL is not an absolute URL"),
                operation: operation)
        }
        if Origin(scheme: scheme, host: host, port: url.port) == origin { return url }
        guard scheme == "https" else {
            throw BenchlingError(
                kind: .invalidResponse("refused to download the export over \(scheme) from \(host): only https"),
                operation: operation)
        }
        guard Self.isBenchlingHost(host) || Self.isS3Host(host) else {
            throw BenchlingError(
                kind: .invalidResponse("refused to download the export from \(host): not Benchling's or Amazon S3's"),
                operation: operation)
        }
        return url
    }

    static func isBenchlingHost(_ host: String) -> Bool {
        host == "benchling.com" || host.hasSuffix(".benchling.com")
    }

    /// `s3.amazonaws.com`, `bucket.s3.amazonaws.com`, `bucket.s3.us-west-2.amazonaws.com`,
    /// `s3-us-west-2.amazonaws.com`, `bucket.s3.dualstack.eu-west-1.amazonaws.com` and the like.
    static func isS3Host(_ host: String) -> Bool {
        guard host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn") else { return false }
        let labels = host.split(separator: ".")
        return labels.dropLast(2).contains { $0 == "s3" || $0.hasPrefix("s3-") }
    }
}
