import AWSCore
import Foundation

/// Amazon S3 (REST, XML): the object calls the product needs.
///
/// Keys are single-encoded in the path (unreserved characters and `/` stay) and paths are signed as sent, not
/// normalised. Every PUT carries a Content-Type (moto stores `application/x-www-form-urlencoded` bodies as empty).
/// File bodies are streamed and signed with `UNSIGNED-PAYLOAD`: hashing first would read every file twice, and
/// HTTPS already protects the bytes in transit; in-memory bodies are hashed.
public struct S3: Sendable {
    public static let defaultContentType = "application/octet-stream"
    /// Deadline for one attempt of a file transfer (a part, a single PUT, a download).
    public static let transferTimeout: Duration = .seconds(3600)

    public let client: AWSClient

    public init(client: AWSClient) { self.client = client }

    // MARK: objects

    /// PUT of an in-memory body.
    @discardableResult
    public func putObject(
        bucket: String, key: String, body: Data, contentType: String = defaultContentType,
        condition: S3WriteCondition = .none, metadata: [String: String] = [:]
    )
        async throws -> S3PutResult
    {
        try await put(
            bucket: bucket, key: key, body: .data(body), contentType: contentType, condition: condition,
            metadata: metadata)
    }

    /// PUT of a whole file in one request, streamed from disk (S3 accepts up to 5 GiB; prefer `upload`).
    @discardableResult
    public func putObject(
        bucket: String, key: String, file: URL, contentType: String = defaultContentType,
        condition: S3WriteCondition = .none, metadata: [String: String] = [:]
    )
        async throws -> S3PutResult
    {
        try await put(
            bucket: bucket, key: key, body: try AWSRequestBody.file(file), contentType: contentType,
            condition: condition, metadata: metadata)
    }

    private func put(
        bucket: String, key: String, body: AWSRequestBody, contentType: String,
        condition: S3WriteCondition, metadata: [String: String]
    ) async throws -> S3PutResult {
        var headers: [(name: String, value: String)] = [("Content-Type", contentType)]
        headers += Self.conditionHeaders(condition)
        headers += metadata.sorted { $0.key < $1.key }.map { ("x-amz-meta-\($0.key)", $0.value) }
        let response = try await client.send(
            request(
                "PutObject", method: "PUT", bucket: bucket, key: key, headers: headers, body: body))
        return S3PutResult(
            etag: response.header("ETag") ?? "",
            versionId: S3Parsing.versionId(response.header("x-amz-version-id")))
    }

    /// Streams an object into `file` (replaced atomically when complete); returns its metadata.
    @discardableResult
    public func getObject(
        bucket: String, key: String, to file: URL, versionId: String? = nil
    )
        async throws -> S3ObjectInfo
    {
        let response = try await client.download(
            request(
                "GetObject", method: "GET", bucket: bucket, key: key, query: Self.versionQuery(versionId)), to: file)
        var info = S3Parsing.objectInfo(response)
        if let size = try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber {
            info.contentLength = size.int64Value
        }
        return info
    }

    /// Reads a small object into memory (at most `maxBytes`).
    public func getObject(
        bucket: String, key: String, versionId: String? = nil, maxBytes: Int = 64 << 20
    )
        async throws -> (data: Data, info: S3ObjectInfo)
    {
        // Reading a given version is its own IAM action.
        let response = try await client.send(
            request(
                "GetObject", iamAction: versionId == nil ? nil : "s3:GetObjectVersion", method: "GET", bucket: bucket,
                key: key, query: Self.versionQuery(versionId)),
            maxBodyBytes: maxBytes)
        return (response.body, S3Parsing.objectInfo(response))
    }

    /// Metadata, or nil when the object does not exist (404).
    public func headObject(bucket: String, key: String, versionId: String? = nil) async throws -> S3ObjectInfo? {
        do {
            let response = try await client.send(
                request(
                    "HeadObject", iamAction: "s3:GetObject", method: "HEAD", bucket: bucket, key: key,
                    query: Self.versionQuery(versionId)))
            return S3Parsing.objectInfo(response)
        } catch let error as AWSError where error.statusCode == 404 {
            return nil
        }
    }

    public func deleteObject(bucket: String, key: String, versionId: String? = nil) async throws {
        _ = try await client.send(
            request(
                "DeleteObject", iamAction: versionId == nil ? "s3:DeleteObject" : "s3:DeleteObjectVersion",
                method: "DELETE", bucket: bucket, key: key, query: Self.versionQuery(versionId)))
    }

    // MARK: buckets

    /// Checks that the bucket exists and is reachable with these credentials; returns its region when S3 says.
    /// Throws `AWSError` (`NotFound` 404, `AccessDenied` 403).
    @discardableResult
    public func headBucket(bucket: String) async throws -> String? {
        let response = try await client.send(
            request(
                "HeadBucket", iamAction: "s3:ListBucket", method: "HEAD", bucket: bucket))
        return response.header("x-amz-bucket-region")
    }

    /// True when versioning is `Enabled` (false when never enabled or `Suspended`).
    public func getBucketVersioning(bucket: String) async throws -> Bool {
        let response = try await client.send(
            request(
                "GetBucketVersioning", method: "GET", bucket: bucket, query: [("versioning", "")]))
        let root = try AWSXMLElement.parse(response.body)
        return root.text(of: "Status") == "Enabled"
    }

    // MARK: request building

    /// A signed-request description for `bucket`/`key` (path-style with a custom endpoint).
    func request(
        _ operation: String, iamAction: String? = nil, method: String, bucket: String, key: String? = nil,
        query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
        body: AWSRequestBody = .empty, timeout: Duration? = nil
    ) -> AWSRequest {
        let location = client.endpoints.s3Location(bucket: bucket, region: client.region)
        let path: String
        if let key {
            path = location.pathPrefix + "/" + AWSURIEncoding.encode(key, keepSlash: true)
        } else {
            path = location.pathPrefix.isEmpty ? "/" : location.pathPrefix
        }
        let isFile: Bool
        if case .file = body { isFile = true } else { isFile = false }
        return AWSRequest(
            service: "s3", operation: operation, iamAction: iamAction ?? "s3:\(operation)", method: method,
            baseURL: location.baseURL, path: path, query: query, headers: headers, body: body,
            payloadSigning: isFile ? .unsigned : .hashed, signingOptions: .s3,
            timeout: timeout ?? ((isFile || operation == "GetObject") ? Self.transferTimeout : nil))
    }

    static func conditionHeaders(_ condition: S3WriteCondition) -> [(name: String, value: String)] {
        switch condition {
        case .none: return []
        case .ifNoneMatchAny: return [("If-None-Match", "*")]
        case .ifMatch(let etag): return [("If-Match", etag)]
        }
    }

    static func versionQuery(_ versionId: String?) -> [(name: String, value: String)] {
        versionId.map { [("versionId", $0)] } ?? []
    }
}
