import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How `LocalDirectoryRegistry` puts a data file's bytes under its key.
///
/// A registry object must never change after it is written (a manifest names its hash). A copy (or a
/// copy-on-write clone) is always safe. A hard link shares the bytes with the source, so it is only right when
/// nobody writes into the source file in place afterwards — true of the worker's job files, which are written
/// once, hashed, published and then deleted (deleting a name leaves the registry's name and bytes intact).
public enum DataFilePlacement: Sendable, Equatable {
    /// A file of its own: a copy-on-write clone where the file system offers one, else an in-kernel copy.
    case copy
    /// A hard link to the source when both are on one file system (no bytes move), else as `.copy`.
    case linkSource
}

/// What placing one file actually did (reported for tests and benchmarks).
enum PlacementMethod: String, Sendable, Equatable {
    case hardLink, clone, kernelCopy, bufferedCopy
}

/// Places a source file's bytes at a new path, by the cheapest method `DataFilePlacement` allows.
enum FilePlacement {
    /// Creates `target` (which must not exist) with the bytes of `source`, checking they are `expectedSize`
    /// bytes long: the size the file had when it was hashed.
    static func place(
        _ source: URL, at target: URL, expectedSize: Int64, placement: DataFilePlacement
    ) throws -> PlacementMethod {
        if placement == .linkSource, link(source.path, target.path) == 0 {
            // EXDEV (other file system), EPERM/ENOTSUP (no hard links there), EMLINK: fall back to a copy.
            var info = stat()
            guard stat(target.path, &info) == 0 else {
                throw FileError.posix(operation: "stat", path: target.path, errno: errno)
            }
            try checkSize(Int64(info.st_size), expectedSize, source: source)
            return .hardLink
        }
        return try copy(source, to: target, expectedSize: expectedSize)
    }

    /// A copy of `source` at `target`; `kernelMethods: false` (tests) goes straight to the buffered copy that
    /// serves where the kernel offers neither clone nor `sendfile`.
    static func copy(
        _ source: URL, to target: URL, expectedSize: Int64, kernelMethods: Bool = true
    ) throws -> PlacementMethod {
        let input = try ReadOnlyFile(source)
        defer { input.closeFile() }
        try checkSize(input.size, expectedSize, source: source)
        let output = open(target.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw FileError.posix(operation: "create", path: target.path, errno: errno) }
        defer { _ = systemClose(output) }
        #if os(Linux)
        guard kernelMethods else {
            try bufferedCopy(input, to: output, target: target)
            return .bufferedCopy
        }
        // FICLONE (_IOW(0x94, 9, int)): a copy-on-write clone on btrfs/XFS; other file systems refuse it at once.
        if ioctl(output, UInt(0x4004_9409), input.descriptor) == 0 { return .clone }
        if try kernelCopy(input, to: output, target: target) { return .kernelCopy }
        #endif
        try bufferedCopy(input, to: output, target: target)
        return .bufferedCopy
    }

    #if os(Linux)
    /// `sendfile(2)` file to file: the bytes never enter this process. False when the kernel refuses before
    /// the first byte (then a buffered copy follows).
    private static func kernelCopy(_ input: ReadOnlyFile, to output: Int32, target: URL) throws -> Bool {
        var offset: off_t = 0
        while Int64(offset) < input.size {
            let count = sendfile(output, input.descriptor, &offset, Int(min(input.size - Int64(offset), 1 << 30)))
            if count < 0 {
                if errno == EINTR { continue }
                if offset == 0 && (errno == EINVAL || errno == ENOSYS) { return false }
                throw FileError.posix(operation: "sendfile", path: target.path, errno: errno)
            }
            if count == 0 { break }
        }
        try checkSize(Int64(offset), input.size, source: URL(fileURLWithPath: input.path))
        return true
    }
    #endif

    private static func bufferedCopy(_ input: ReadOnlyFile, to output: Int32, target: URL) throws {
        var copied: Int64 = 0
        try input.forEachBlock(size: 4 << 20) { block in
            var rest = block
            while !rest.isEmpty {
                let written = write(output, rest.baseAddress, rest.count)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw FileError.posix(operation: "write", path: target.path, errno: errno)
                }
                rest = UnsafeRawBufferPointer(rebasing: rest[written...])
            }
            copied += Int64(block.count)
        }
        try checkSize(copied, input.size, source: URL(fileURLWithPath: input.path))
    }

    /// A size other than the hashed one means the source changed after hashing: the manifest would lie.
    private static func checkSize(_ actual: Int64, _ expected: Int64, source: URL) throws {
        guard actual == expected else {
            throw FileError.changedSinceHashing(path: source.path, expectedSize: expected, actualSize: actual)
        }
    }
}
