import Foundation

/// Where calls for a service go. With a custom endpoint (`AWS_ENDPOINT_URL`, e.g. an emulator) every service
/// shares it and S3 uses path-style addressing; otherwise the public regional endpoints are used.
public struct AWSEndpointResolver: Sendable, Equatable {
    /// The custom endpoint, if any (scheme://host[:port], no trailing slash).
    public let customEndpoint: URL?

    public init(customEndpoint: URL? = nil) {
        if let customEndpoint, customEndpoint.absoluteString.hasSuffix("/") {
            self.customEndpoint = URL(string: String(customEndpoint.absoluteString.dropLast()))
        } else {
            self.customEndpoint = customEndpoint
        }
    }

    /// Reads `AWS_ENDPOINT_URL` as the AWS SDKs do.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> AWSEndpointResolver
    {
        let value = environment["AWS_ENDPOINT_URL"]?.trimmingCharacters(in: .whitespaces) ?? ""
        return AWSEndpointResolver(customEndpoint: value.isEmpty ? nil : URL(string: value))
    }

    /// Base URL (no trailing slash) for a JSON/query service, e.g. `https://sqs.us-east-1.amazonaws.com`.
    public func baseURL(service endpointPrefix: String, region: AWSRegion) -> String {
        if let customEndpoint { return customEndpoint.absoluteString }
        return "https://\(endpointPrefix).\(region.name).\(Self.dnsSuffix(region))"
    }

    /// S3 addressing: path style with a custom endpoint or when the bucket is not DNS-compatible (dots, upper
    /// case), virtual-hosted otherwise.
    public func s3Location(bucket: String, region: AWSRegion) -> (baseURL: String, pathPrefix: String) {
        if let customEndpoint { return (customEndpoint.absoluteString, "/" + bucket) }
        let host = "s3.\(region.name).\(Self.dnsSuffix(region))"
        if Self.isVirtualHostable(bucket) { return ("https://\(bucket).\(host)", "") }
        return ("https://\(host)", "/" + bucket)
    }

    static func dnsSuffix(_ region: AWSRegion) -> String {
        region.name.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }

    static func isVirtualHostable(_ bucket: String) -> Bool {
        guard (3...63).contains(bucket.count), !bucket.contains("."), bucket == bucket.lowercased() else {
            return false
        }
        return bucket.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
    }
}
