import Foundation

extension LocalDirectoryRegistry {
    /// Reads the file in 16 KiB blocks until the first newline: a header is read without the entries.
    public func firstLine(ofKey key: String, maxBytes: Int) async throws -> Data {
        let url = try fileURL(forKey: key)
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            guard FileManager.default.fileExists(atPath: url.path) else { throw QuiltError.objectNotFound(key: key) }
            throw QuiltError.invalidRegistry("cannot open \(url.path)")
        }
        defer { try? handle.close() }
        var collected = Data()
        while true {
            guard let block = try handle.read(upToCount: 16 << 10), !block.isEmpty else { break }
            if let newline = block.firstIndex(of: FirstLine.newline) {
                collected.append(block[block.startIndex..<newline])
                break
            }
            collected.append(block)
            guard collected.count <= maxBytes else { throw FirstLine.tooLong(maxBytes) }
        }
        return try FirstLine.cut(collected, maxBytes: maxBytes)
    }
}
