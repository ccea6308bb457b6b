import AWSCore
import Foundation

/// Conditional write (S3 conditional PUT).
public enum S3WriteCondition: Sendable, Equatable {
    case none
    /// `If-None-Match: *`: fail with `PreconditionFailed` (412) if the key exists.
    case ifNoneMatchAny
    /// `If-Match: <etag>`: fail unless the current object has this ETag.
    case ifMatch(String)
}

/// What a PUT (or a completed multipart upload) produced.
public struct S3PutResult: Sendable, Equatable {
    /// The ETag as S3 returns it (with quotes).
    public var etag: String
    /// The version id on versioned buckets; nil on unversioned ones (S3's `"null"` is mapped to nil).
    public var versionId: String?
}

/// Metadata of a stored object (HEAD/GET).
public struct S3ObjectInfo: Sendable, Equatable {
    public var contentLength: Int64
    public var etag: String?
    public var versionId: String?
    public var contentType: String?
    public var lastModified: Date?
    /// `x-amz-meta-*` headers, keys without the prefix, lower case.
    public var metadata: [String: String]
}

/// One object in a listing.
public struct S3ObjectSummary: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var etag: String?
    public var lastModified: Date?
}

/// One page of `ListObjectsV2`.
public struct S3ListPage: Sendable, Equatable {
    public var objects: [S3ObjectSummary]
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    /// Pass to the next call; nil on the last page.
    public var nextContinuationToken: String?
}

enum S3Parsing {
    static func versionId(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value != "null" else { return nil }
        return value
    }

    static func objectInfo(_ response: AWSResponse) -> S3ObjectInfo {
        var metadata: [String: String] = [:]
        for (name, value) in response.headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        return S3ObjectInfo(
            contentLength: response.header("Content-Length").flatMap { Int64($0) } ?? Int64(response.body.count),
            etag: response.header("ETag"),
            versionId: versionId(response.header("x-amz-version-id")),
            contentType: response.header("Content-Type"),
            lastModified: response.header("Last-Modified").flatMap(httpDate),
            metadata: metadata)
    }

    /// RFC 7231 dates (`Wed, 21 Oct 2015 07:28:00 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    /// ISO 8601 with or without fractional seconds (XML listings).
    static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
