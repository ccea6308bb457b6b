import Foundation
import TestSupport
import Testing

@testable import Quilt

/// How a local registry places data files: hard links only when allowed and possible, otherwise a copy of its
/// own; either way the object has the hashed bytes and stays as written.
@Suite(.timeLimit(.minutes(5))) struct DataFilePlacementTests {
    static func inode(_ url: URL) throws -> (device: UInt64, inode: UInt64, links: UInt64) {
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw FileError.posix(operation: "stat", path: url.path, errno: errno) }
        return (UInt64(info.st_dev), UInt64(info.st_ino), UInt64(info.st_nlink))
    }

    static func source(_ bytes: Data, in folder: URL, name: String = "source.bin") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        return url
    }

    static let bytes = Data((0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })

    @Test func linkSourceHardLinksOnOneFileSystemAndSurvivesTheSourceBeingDeleted() async throws {
        let work = try makeTemporaryDirectory("place-link")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("reg"), placement: .linkSource)
        let source = try Self.source(Self.bytes, in: work)
        let method = try registry.placeDataFile(from: source, key: "a/b/data.bin", size: Int64(Self.bytes.count))
        #expect(method == .hardLink)
        let object = try registry.fileURL(forKey: "a/b/data.bin")
        #expect(try Self.inode(object).inode == Self.inode(source).inode)
        try FileManager.default.removeItem(at: source)
        #expect(try Self.inode(object).links == 1)
        #expect(try Data(contentsOf: object) == Self.bytes)
    }

    @Test func copyMakesAnObjectOfItsOwn() async throws {
        let work = try makeTemporaryDirectory("place-copy")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("reg"))
        #expect(registry.placement == .copy)
        let source = try Self.source(Self.bytes, in: work)
        let method = try registry.placeDataFile(from: source, key: "data.bin", size: Int64(Self.bytes.count))
        #expect(method != .hardLink)
        let object = try registry.fileURL(forKey: "data.bin")
        #expect(try Self.inode(object).inode != Self.inode(source).inode)
        // Writing into the source in place afterwards leaves the object as written.
        let handle = try FileHandle(forWritingTo: source)
        try handle.write(contentsOf: Data(repeating: 0, count: 4096))
        try handle.close()
        #expect(try Data(contentsOf: object) == Self.bytes)
    }

    @Test func bufferedCopyIsExact() async throws {
        let work = try makeTemporaryDirectory("place-buffered")
        defer { try? FileManager.default.removeItem(at: work) }
        let big = Data((0..<(9 << 20) + 5).map { UInt8(truncatingIfNeeded: $0 &* 13) })  // > one 4 MiB block
        let source = try Self.source(big, in: work)
        let target = work.appendingPathComponent("copy.bin")
        let method = try FilePlacement.copy(source, to: target, expectedSize: Int64(big.count), kernelMethods: false)
        #expect(method == .bufferedCopy)
        #expect(try Data(contentsOf: target) == big)
    }

    /// A source on another file system (the RAM-backed /dev/shm, when the temporary folder is elsewhere) cannot
    /// be hard-linked: `.linkSource` falls back to a copy.
    @Test(.enabled(if: DataFilePlacementTests.sharedMemoryIsAnotherFileSystem()))
    func linkSourceFallsBackToACopyAcrossFileSystems() async throws {
        let work = try makeTemporaryDirectory("place-xdev")
        defer { try? FileManager.default.removeItem(at: work) }
        let shm = URL(fileURLWithPath: "/dev/shm").appendingPathComponent("bq-quilt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: shm, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: shm) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("reg"), placement: .linkSource)
        let source = try Self.source(Self.bytes, in: shm)
        let method = try registry.placeDataFile(from: source, key: "data.bin", size: Int64(Self.bytes.count))
        #expect(method == .kernelCopy || method == .clone || method == .bufferedCopy)
        #expect(method != .hardLink)
        let object = try registry.fileURL(forKey: "data.bin")
        #expect(try Self.inode(object).device != Self.inode(source).device)
        #expect(try Data(contentsOf: object) == Self.bytes)
    }

    static func sharedMemoryIsAnotherFileSystem() -> Bool {
        var shm = stat()
        var temporary = stat()
        guard stat("/dev/shm", &shm) == 0, stat(FileManager.default.temporaryDirectory.path, &temporary) == 0 else {
            return false
        }
        return shm.st_dev != temporary.st_dev
    }

    /// A source whose size differs from the hashed size is refused by every method, and nothing is left at the key.
    @Test(arguments: [DataFilePlacement.copy, .linkSource])
    func aSourceChangedSinceHashingIsRefused(_ placement: DataFilePlacement) async throws {
        let work = try makeTemporaryDirectory("place-changed")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("reg"), placement: placement)
        let source = try Self.source(Self.bytes, in: work)
        #expect(throws: FileError.self) {
            try registry.placeDataFile(from: source, key: "k/data.bin", size: Int64(Self.bytes.count) - 1)
        }
        let folder = try registry.fileURL(forKey: "k/data.bin").deletingLastPathComponent()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// Packages published with hard-linked data, whose sources are then deleted (as the worker deletes its job
    /// folder), still load in quilt3 with the same top hash and every entry re-hashes correctly.
    @Test func quilt3VerifiesLinkedPackagesAfterTheSourcesAreGone() async throws {
        let environment = try TestEnvironment.load()
        let work = try makeTemporaryDirectory("place-judge")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("registry"), placement: .linkSource)
        let sources = work.appendingPathComponent("job")
        let files = try LocalRegistryJudgeTests.stage(
            [
                ("data/plate.bin", Self.bytes, nil), ("README.md", Data("# Linked\n".utf8), ["k": "v"]),
                ("empty.txt", Data(), nil),
            ],
            in: sources)
        let package = try PackageName("linked/pkg")
        let result = try await PackageWriter(registry: registry).publish(
            package: package, message: "linked", userMeta: nil, files: files, dataKeyPrefix: "linked/pkg")
        guard case .published(let topHash, _, _) = result else {
            Issue.record("expected a new revision, got \(result)")
            return
        }
        let object = try registry.fileURL(forKey: "linked/pkg/data/plate.bin")
        #expect(try Self.inode(object).inode == Self.inode(files[0].localURL).inode)
        try FileManager.default.removeItem(at: sources)
        let reports = try Quilt3Judge(environment: environment).judge(
            registry: registry.registryURL,
            packages: [.init(name: "linked/pkg", topHash: topHash, verifyDir: registry.registryURL + "/linked/pkg")])
        #expect(reports.count == 1)
        LocalRegistryJudgeTests.assertJudged(reports[0], topHash: topHash, fileCount: 3)
    }
}
