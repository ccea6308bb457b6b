import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened with `open(2)` and read with `read(2)` into one reused buffer: the hashing hot path avoids
/// Foundation's per-read `Data` allocations.
struct ReadOnlyFile {
    let descriptor: Int32
    let size: Int64
    let path: String

    init(_ url: URL) throws {
        path = url.path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError.posix(operation: "open", path: path, errno: errno) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            _ = systemClose(descriptor)
            throw FileError.posix(operation: "stat", path: path, errno: code)
        }
        size = Int64(info.st_size)
        #if os(Linux)
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
    }

    func closeFile() { _ = systemClose(descriptor) }

    /// Calls `body` with successive blocks until end of file.
    func forEachBlock(size blockSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 4096)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, blockSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.posix(operation: "read", path: path, errno: errno)
            }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }
}

public enum FileError: Error, Sendable, CustomStringConvertible {
    case posix(operation: String, path: String, errno: Int32)
    /// The file is not the size it had when it was hashed: it changed in between, so its hash would lie.
    case changedSinceHashing(path: String, expectedSize: Int64, actualSize: Int64)

    public var description: String {
        switch self {
        case .posix(let operation, let path, let code):
            "\(operation) \(path): \(String(cString: strerror(code)))"
        case .changedSinceHashing(let path, let expected, let actual):
            "\(path) changed after it was hashed: \(expected) bytes then, \(actual) now"
        }
    }
}

/// `close(2)`, named so that it is not shadowed by members called `close`.
func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
