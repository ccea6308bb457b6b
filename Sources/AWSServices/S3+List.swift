import AWSCore
import Foundation

extension S3 {
    /// One page of `ListObjectsV2` (up to `maxKeys`, S3's limit is 1000).
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, delimiter: String? = nil,
        continuationToken: String? = nil, maxKeys: Int? = nil
    ) async throws -> S3ListPage {
        var query: [(name: String, value: String)] = [("list-type", "2")]
        if let prefix { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let response = try await client.send(
            request(
                "ListObjectsV2", iamAction: "s3:ListBucket", method: "GET", bucket: bucket, query: query))
        let root = try AWSXMLElement.parse(response.body)
        let objects = root.children("Contents").map { item in
            S3ObjectSummary(
                key: item.text(of: "Key") ?? "", size: item.text(of: "Size").flatMap { Int64($0) } ?? 0,
                etag: item.text(of: "ETag"),
                lastModified: item.text(of: "LastModified").flatMap(S3Parsing.isoDate))
        }
        let truncated = root.text(of: "IsTruncated") == "true"
        let token = root.text(of: "NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        return S3ListPage(
            objects: objects,
            commonPrefixes: root.children("CommonPrefixes").compactMap {
                $0.text(of: "Prefix")
            }, isTruncated: truncated, nextContinuationToken: truncated ? token : nil)
    }

    /// Every object under `prefix`, fetched page by page as the sequence is iterated.
    public func listAllObjects(bucket: String, prefix: String? = nil, pageSize: Int? = nil) -> S3ObjectListing {
        S3ObjectListing(s3: self, bucket: bucket, prefix: prefix, pageSize: pageSize)
    }
}

/// Lazily paginated `ListObjectsV2`: one request per page, made when the previous page is used up.
public struct S3ObjectListing: AsyncSequence, Sendable {
    public typealias Element = S3ObjectSummary

    let s3: S3
    let bucket: String
    let prefix: String?
    let pageSize: Int?

    public struct AsyncIterator: AsyncIteratorProtocol {
        let listing: S3ObjectListing
        var buffer: [S3ObjectSummary] = []
        var token: String?
        var finished = false

        public mutating func next() async throws -> S3ObjectSummary? {
            while buffer.isEmpty {
                if finished { return nil }
                let page = try await listing.s3.listObjectsV2(
                    bucket: listing.bucket, prefix: listing.prefix, continuationToken: token,
                    maxKeys: listing.pageSize)
                buffer = page.objects.reversed()
                token = page.nextContinuationToken
                finished = token == nil
            }
            return buffer.removeLast()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(listing: self) }

    /// Collects the whole listing.
    public func collect() async throws -> [S3ObjectSummary] {
        var all: [S3ObjectSummary] = []
        for try await object in self { all.append(object) }
        return all
    }
}
