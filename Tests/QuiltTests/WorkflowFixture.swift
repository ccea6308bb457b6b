import Foundation
import JSONCore
import TestSupport

@testable import Quilt

/// A local registry with a `.quilt/workflows/config.yml` and schemas beside it, for the workflow tests.
struct WorkflowFixture {
    let root: URL
    let registry: LocalDirectoryRegistry

    init(config: String?, schemas: [String: String] = [:]) throws {
        root = try makeTemporaryDirectory("workflows")
        registry = try LocalDirectoryRegistry(root: root)
        for (name, text) in schemas { try registry.write(Data(text.utf8), key: ".quilt/workflows/\(name)") }
        if let config {
            // `{schemas}` stands for the folder the schemas are in, as a file:// URL.
            let folder = PhysicalKey.file(path: root.path + "/.quilt/workflows")
            try registry.write(
                Data(config.replacingOccurrences(of: "{schemas}", with: folder).utf8), key: WorkflowLoader.configKey)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    var configURL: String { PhysicalKey.file(path: root.path + "/" + WorkflowLoader.configKey) }

    func schemaURL(_ name: String) -> String { PhysicalKey.file(path: root.path + "/.quilt/workflows/" + name) }

    /// What our code decides: the header, or the error.
    func prepareAndValidate(
        _ request: WorkflowRequest, package: String, message: String?, userMeta: JSONObject?,
        files: [(String, String)] = []
    ) async throws -> Result<(header: JSONObject?, topHash: String), any Error> {
        do {
            let prepared = try await WorkflowLoader(registry: registry).prepare(request)
            let staging = try makeTemporaryDirectory("workflow-files")
            defer { try? FileManager.default.removeItem(at: staging) }
            let staged = try LocalRegistryJudgeTests.stage(files.map { ($0.0, Data($0.1.utf8), nil) }, in: staging)
            let name = try PackageName(package)
            let plan = try PackageWriter(registry: registry).plan(
                package: name, message: message, userMeta: userMeta, files: staged, dataKeyPrefix: package,
                workflow: prepared?.header)
            try prepared?.validate(package: name, message: message, userMeta: userMeta, entries: plan.manifest.entries)
            return .success((prepared?.header, plan.topHash))
        } catch {
            return .failure(error)
        }
    }
}
