import AWSCore
import AWSServices
import Foundation

extension S3Registry {
    /// First ranged read of `firstLine`: most headers fit; each further read is twice the previous one.
    static let firstLineChunk = 16 << 10

    /// Ranged GETs from byte 0, each continuing where the last ended and twice as large, until a newline or the
    /// end of the object: a header is read without downloading a large manifest's entries.
    public func firstLine(ofKey key: String, maxBytes: Int) async throws -> Data {
        try await firstLine(ofKey: key, maxBytes: maxBytes, firstChunk: Self.firstLineChunk).line
    }

    /// `firstLine` with the first range size given; also returns how many ranged GETs it took (for tests).
    func firstLine(ofKey key: String, maxBytes: Int, firstChunk: Int) async throws -> (line: Data, requests: Int) {
        var collected = Data()
        var chunk = max(1, firstChunk)
        var requests = 0
        while true {
            let part: S3ObjectRange
            do {
                // One byte past the limit is enough to know the line is too long.
                let wanted = min(chunk, maxBytes + 1 - collected.count)
                part = try await s3.getObjectRange(
                    bucket: bucket, key: key, offset: Int64(collected.count), length: max(1, wanted))
                requests += 1
            } catch let error as AWSError where error.statusCode == 404 {
                throw QuiltError.objectNotFound(key: key)
            }
            if let newline = part.data.firstIndex(of: FirstLine.newline) {
                collected.append(part.data[part.data.startIndex..<newline])
                return (try FirstLine.cut(collected, maxBytes: maxBytes), requests)
            }
            collected.append(part.data)
            guard collected.count <= maxBytes else { throw FirstLine.tooLong(maxBytes) }
            if part.data.isEmpty || part.reachesEnd { return (collected, requests) }
            chunk = min(chunk * 2, 8 << 20)
        }
    }
}
