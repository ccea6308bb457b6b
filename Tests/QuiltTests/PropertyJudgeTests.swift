import Foundation
import JSONCore
import TestSupport
import Testing

@testable import Quilt

/// Random trees written by PackageWriter; quilt3 must agree on every top hash and entry hash.
@Suite(.timeLimit(.minutes(5))) struct PropertyJudgeTests {
    static let packageCount = 25

    @Test func quilt3AgreesOnRandomPackages() async throws {
        let environment = try TestEnvironment.load()
        let seed = UInt64.random(in: 0...UInt64.max)
        print("PropertyJudgeTests seed: \(seed)")
        let work = try makeTemporaryDirectory("property")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("registry with space/é"))
        let writer = PackageWriter(registry: registry)
        var generator = RandomPackageGenerator(seed: seed)
        var requests: [Quilt3Judge.Request] = []
        var fileCounts: [Int] = []
        for index in 0..<Self.packageCount {
            let tree = generator.tree(maxFiles: 12)
            var staged: [(String, Data, JSONObject?)] = []
            for file in tree {
                staged.append((file.key, randomData(count: file.size, using: &generator.rng), file.userMeta))
            }
            let files = try LocalRegistryJudgeTests.stage(staged, in: work.appendingPathComponent("src\(index)"))
            let userMeta = generator.chance(0.8) ? generator.object(depth: 0) : nil
            let message =
                generator.chance(0.8)
                ? generator.string(from: RandomPackageGenerator.textAlphabet, length: 0...30) : nil
            let name = "prop/pkg-\(index)"
            let prefix = "data/pkg-\(index)"
            let result = try await writer.publish(
                package: PackageName(name), message: message, userMeta: userMeta, files: files, dataKeyPrefix: prefix)
            requests.append(.init(name: name, topHash: result.topHash, verifyDir: registry.registryURL + "/" + prefix))
            fileCounts.append(files.count)
        }
        let reports = try Quilt3Judge(environment: environment).judge(
            registry: registry.registryURL, packages: requests)
        #expect(reports.count == Self.packageCount)
        for (index, report) in reports.enumerated() {
            LocalRegistryJudgeTests.assertJudged(report, topHash: requests[index].topHash, fileCount: fileCounts[index])
        }
    }
}
