import AWSCore
import Foundation

extension S3 {
    /// A presigned GET URL for an object, valid for `expires` seconds (max 7 days), signed with the client's
    /// current credentials (temporary credentials end the URL's life earlier).
    public func presignedGetURL(
        bucket: String, key: String, expires: Int = 3600, versionId: String? = nil,
        now: Date = Date()
    ) async throws -> URL {
        let location = client.endpoints.s3Location(bucket: bucket, region: client.region)
        let path = location.pathPrefix + "/" + AWSURIEncoding.encode(key, keepSlash: true)
        guard let base = URL(string: location.baseURL), let host = base.host else {
            throw AWSClientError(
                .invalidRequest, service: "s3", operation: "GetObject",
                detail: "bad endpoint \(location.baseURL)")
        }
        let signer = SigV4Signer(
            credentials: try await client.credentialProvider.credentials(),
            region: client.region.name, service: "s3", options: .s3)
        let signature = signer.signQuery(
            SigV4Signer.Request(
                method: "GET", path: path, query: Self.versionQuery(versionId),
                headers: [("Host", base.port.map { "\(host):\($0)" } ?? host)]),
            payloadHash: SigV4Signer.unsignedPayload, date: now, expires: min(max(1, expires), 604_800))
        guard let url = URL(string: location.baseURL + path + "?" + signature.queryString) else {
            throw AWSClientError(.invalidRequest, service: "s3", operation: "GetObject", detail: "bad presigned URL")
        }
        return url
    }
}
