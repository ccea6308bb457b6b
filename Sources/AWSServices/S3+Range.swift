import AWSCore
import Foundation

/// Part of an object, as a ranged GET returned it.
public struct S3ObjectRange: Sendable, Equatable {
    /// The bytes from `offset` (fewer than asked for at the end of the object; empty past it).
    public var data: Data
    public var offset: Int64
    /// The object's whole size, from `Content-Range` (nil when S3 did not say).
    public var totalSize: Int64?

    /// Whether these bytes reach the object's last byte.
    public var reachesEnd: Bool {
        guard let totalSize else { return true }
        return offset + Int64(data.count) >= totalSize
    }
}

extension S3 {
    /// `GetObject` with `Range: bytes=offset-(offset+length-1)`: reads part of an object without downloading the
    /// rest (a manifest's first line, say). A range starting at or past the end (S3's 416 `InvalidRange`) gives
    /// empty data rather than an error.
    public func getObjectRange(
        bucket: String, key: String, offset: Int64, length: Int, versionId: String? = nil
    )
        async throws -> S3ObjectRange
    {
        precondition(offset >= 0 && length > 0, "range must be non-empty and start at or after 0")
        let last = offset + Int64(length) - 1
        do {
            let response = try await client.send(
                request(
                    "GetObject", method: "GET", bucket: bucket, key: key, query: Self.versionQuery(versionId),
                    headers: [("Range", "bytes=\(offset)-\(last)")]),
                maxBodyBytes: length)
            var data = response.body
            if response.statusCode == 200 {
                // The range was ignored and the whole object sent (some S3 look-alikes do): keep what was asked for.
                // (An object larger than `length` then fails at `maxBodyBytes` instead of being read whole.)
                let total = Int64(data.count)
                data = offset >= total ? Data() : Data(data[Int(offset)..<Int(min(total, last + 1))])
                return S3ObjectRange(data: data, offset: offset, totalSize: total)
            }
            return S3ObjectRange(
                data: data, offset: offset, totalSize: Self.totalSize(contentRange: response.header("Content-Range")))
        } catch let error as AWSError where error.statusCode == 416 {
            return S3ObjectRange(data: Data(), offset: offset, totalSize: nil)
        }
    }

    /// The size after the `/` of `bytes 0-99/1234` (nil for `*` or anything unreadable).
    static func totalSize(contentRange: String?) -> Int64? {
        guard let contentRange, let slash = contentRange.lastIndex(of: "/") else { return nil }
        return Int64(contentRange[contentRange.index(after: slash)...].trimmingCharacters(in: .whitespaces))
    }
}
