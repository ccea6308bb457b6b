import Benchling
import BenchlingSandbox
import Foundation
import JSONCore
import Quilt
import TestSupport

@testable import Worker

/// One world for canvas-interaction tests: the Benchling sandbox (with a canvas), a local directory registry,
/// and a real `BenchlingClient`. `press` does what the worker does for a button press: the sandbox disables the
/// canvas, the interaction computes the view, the client PATCHes it.
final class InteractionWorld: Sendable {
    let environment: TestEnvironment
    let sandbox: SandboxTenant
    let registry: LocalDirectoryRegistry
    let client: BenchlingClient
    let folder: URL
    let canvasId: String
    let entryId: String

    static let catalogHost = "catalog.example.com"

    private init(
        environment: TestEnvironment, sandbox: SandboxTenant, registry: LocalDirectoryRegistry, folder: URL,
        canvasId: String, entryId: String
    ) {
        self.environment = environment
        self.sandbox = sandbox
        self.registry = registry
        self.folder = folder
        self.canvasId = canvasId
        self.entryId = entryId
        var settings = BenchlingClient.Settings()
        settings.retry = .none
        client = BenchlingClient(
            baseURL: sandbox.baseURL.absoluteString, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret,
            settings: settings)
    }

    static func make(
        entryId: String = "etr_browse1", displayId: String = "EXP00000042"
    ) async throws -> InteractionWorld {
        let environment = try TestEnvironment.load()
        let sandbox = try await SandboxTenant.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(environment.uniqueName("canvas"))
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("registry"), withIntermediateDirectories: true)
        let registry = try LocalDirectoryRegistry(root: folder.appendingPathComponent("registry"))
        await sandbox.addEntry(id: entryId, displayId: displayId, name: "Browse test")
        let canvasId = "cnvs_" + entryId.dropFirst(4)
        await sandbox.addCanvas(id: canvasId, resourceId: entryId)
        return InteractionWorld(
            environment: environment, sandbox: sandbox, registry: registry, folder: folder, canvasId: canvasId,
            entryId: entryId)
    }

    func shutdown() async {
        await sandbox.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The entry's canvas context; `catalog: false` is embedded mode (local paths).
    func canvas(
        displayId: String = "EXP00000042", entryName: String? = "Browse test", catalog: Bool = true,
        package: String? = nil
    ) throws -> EntryCanvas {
        EntryCanvas(
            entryId: entryId, displayId: displayId, entryName: entryName,
            package: try PackageName(package ?? "benchling/\(displayId)"),
            links: catalog ? CatalogLinks(host: Self.catalogHost, bucket: "bq-test-bucket") : nil,
            registryURL: registry.registryURL, packageKey: "experiment_id")
    }

    /// Publishes a package with `count` small files named `data/file-NN.csv` (or `names`) and `userMeta`.
    @discardableResult
    func publish(
        _ package: String, count: Int = 0, names: [String]? = nil, userMeta: JSONObject = [:]
    ) async throws -> String {
        let files = folder.appendingPathComponent("src-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        let keys = names ?? (0..<count).map { String(format: "data/file-%02d.csv", $0) }
        var packageFiles: [PackageFile] = []
        for (index, key) in keys.enumerated() {
            let url = files.appendingPathComponent("f\(index)")
            try Data(repeating: UInt8(index % 251), count: 100 + index).write(to: url)
            packageFiles.append(PackageFile(localURL: url, logicalKey: key, contentType: "text/csv", meta: [:]))
        }
        let result = try await PackageWriter(registry: registry).publish(
            package: try PackageName(package), message: "test", userMeta: userMeta, files: packageFiles,
            dataKeyPrefix: package)
        return result.topHash
    }

    /// A button press as the worker handles it; returns the PATCHed view.
    @discardableResult
    func press(_ buttonId: String, canvas: EntryCanvas) async throws -> AppCanvasUpdate {
        _ = try await sandbox.pressButton(canvasId: canvasId, buttonId: buttonId)
        let view = await CanvasInteraction(canvas: canvas, registry: registry).view(forButtonId: buttonId)
        _ = try await client.updateCanvas(canvasId, view)
        return view
    }

    /// Every PATCH body the sandbox received, judged against Benchling's `AppCanvasUpdate` schema.
    func judgeCanvasHistory() async throws -> OpenAPIReport {
        let bodies = await sandbox.canvasHistory(canvasId)
        return try await OpenAPIJudge.run(
            bodies.map { .schema("AppCanvasUpdate", body: $0) }, python: environment.python,
            repoRoot: environment.repoRoot)
    }
}

/// Reading rendered blocks back.
extension AppCanvasUpdate {
    func markdown(_ id: String) -> String? {
        for case .markdown(let blockId, let value) in blocks ?? [] where blockId == id { return value }
        return nil
    }

    /// Buttons of the section `id`, in order: (id, text, enabled).
    func buttons(in sectionId: String) -> [ButtonRow] {
        for case .section(let blockId, let children) in blocks ?? [] where blockId == sectionId {
            return children.compactMap {
                if case .button(let id, let text, let enabled) = $0 {
                    return ButtonRow(id: id, text: text, enabled: enabled ?? true)
                }
                return nil
            }
        }
        return []
    }

    var blockIds: [String] {
        (blocks ?? []).compactMap { $0.json["id"]?.stringValue }
    }
}

struct ButtonRow: Equatable, CustomStringConvertible {
    var id: String
    var text: String
    var enabled: Bool
    var description: String { "\(text)[\(id)]\(enabled ? "" : " disabled")" }
}

/// Runs `body` with a fresh `InteractionWorld` and awaits its shutdown afterwards, also when `body` throws.
func withInteractionWorld<Result>(
    entryId: String = "etr_browse1", displayId: String = "EXP00000042",
    _ body: (InteractionWorld) async throws -> Result
) async throws -> Result {
    let world = try await InteractionWorld.make(entryId: entryId, displayId: displayId)
    return try await withShutdown(of: world, by: { await $0.shutdown() }, body)
}
