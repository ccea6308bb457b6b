import AWSCore
import AWSServices
import AsyncHTTPClient
import Benchling
import BenchlingSandbox
import Foundation
import JSONCore
import Quilt
import Testing
import TestSupport

@testable import Worker

/// Linked packages (metadata `PKG_KEY` = the entry's display id) found by the manifest fallback, shown on the main
/// view with their own Browse buttons.
@Suite("Interaction: linked packages")
struct InteractionLinkedTests {
    @Test("packages whose experiment_id names the entry are listed and browsable; others are not")
    func linkedPackagesFoundAndBrowsable() async throws {
        let world = try await InteractionWorld.make()
        defer { Task { await world.shutdown() } }
        let canvas = try world.canvas()
        let links = try #require(canvas.links)
        let e = world.entryId
        try await world.publish("benchling/EXP00000042", count: 2, userMeta: ["experiment_id": "EXP00000042"])
        try await world.publish("team/assay-1", count: 20, userMeta: ["experiment_id": "EXP00000042", "owner": "alice"])
        try await world.publish("lab/plate_7", count: 1, userMeta: ["experiment_id": "EXP00000042"])
        try await world.publish("team/other", count: 1, userMeta: ["experiment_id": "EXP00000099"])
        try await world.publish("team/nometa", count: 1)

        let main = try await world.press("quilt:back:\(e)", canvas: canvas)
        #expect(main.blockIds == ["quilt-summary", "quilt-actions", "quilt-linked", "quilt-linked-actions", "quilt-status"])
        let linkedText = try #require(main.markdown("quilt-linked"))
        let lab = try PackageName("lab/plate_7"), assay = try PackageName("team/assay-1")
        #expect(linkedText == """
            **Linked packages** (metadata `experiment\\_id` = EXP00000042)

            - [lab/plate\\_7](\(links.packagePage(lab)))
            - [team/assay\\-1](\(links.packagePage(assay)))
            """)
        #expect(main.buttons(in: "quilt-linked-actions") == [
            ButtonRow(id: "quilt:linked:\(e):0:lab/plate_7", text: "Browse lab/plate_7", enabled: true),
            ButtonRow(id: "quilt:linked:\(e):0:team/assay-1", text: "Browse team/assay-1", enabled: true),
        ])

        // Browse a linked package: its own files, paging ids in the linked form, no View Metadata.
        let browse = try await world.press("quilt:linked:\(e):1:team/assay-1", canvas: canvas)
        let paragraphs = try #require(browse.markdown("quilt-browse")).components(separatedBy: "\n\n")
        #expect(paragraphs[1] == "Linked package (metadata `experiment\\_id` names this entry)")
        #expect(paragraphs[2].hasPrefix("Package: [team/assay\\-1](\(links.packagePage(assay)))"))
        #expect(paragraphs[3] == "Files 16–20 of 20 · page 2 of 2")
        #expect(paragraphs[4].components(separatedBy: "\n").count == 5)
        #expect(browse.buttons(in: "quilt-browse-actions") == [
            ButtonRow(id: "quilt:linked:\(e):0:team/assay-1", text: "Previous", enabled: true),
            ButtonRow(id: "quilt:linked:\(e):2:team/assay-1", text: "Next", enabled: false),
            ButtonRow(id: "quilt:back:\(e)", text: "Back to Package", enabled: true),
        ])

        // A linked id naming a package that does not link to the entry is refused (ids are checked, not trusted).
        let foreign = try await world.press("quilt:linked:\(e):0:team/other", canvas: canvas)
        #expect(foreign.markdown("quilt-problem") == "## EXP00000042\n\n❌ Package team/other is no longer linked to EXP00000042\\.")
        #expect(foreign.buttons(in: "quilt-problem-actions").map(\.text) == ["Back to Package"])
        let missing = try await world.press("quilt:linked:\(e):0:team/gone", canvas: canvas)
        #expect(missing.markdown("quilt-problem")?.contains("does not exist") == true)

        let report = try await world.judgeCanvasHistory()
        #expect(report.isClean, "\(report)")
        #expect(report.checked == 4)
    }

    @Test("the lookup is bounded and says so; no linked packages gives a how-to line")
    func boundedLookupAndEmptyList() async throws {
        let world = try await InteractionWorld.make()
        defer { Task { await world.shutdown() } }
        let canvas = try world.canvas()
        try await world.publish("benchling/EXP00000042", count: 1, userMeta: ["experiment_id": "EXP00000042"])
        for index in 0..<3 { try await world.publish("team/p\(index)", count: 1, userMeta: ["experiment_id": "EXP00000042"]) }

        let bounded = LinkedPackageFinder(registry: world.registry, packageKey: "experiment_id", limit: 2, parallelism: 2)
        let found = await bounded.find(displayId: "EXP00000042", excluding: canvas.package)
        #expect(found == .found([try PackageName("team/p0"), try PackageName("team/p1")], examined: 2, truncated: true))
        let view = await CanvasInteraction(canvas: canvas, registry: world.registry, finder: bounded).mainView()
        #expect(view.markdown("quilt-linked")?.hasSuffix("Only the first 2 packages of the bucket were searched.") == true)

        let other = try world.canvas(displayId: "EXP00000777")
        let none = await CanvasInteraction(canvas: other, registry: world.registry).mainView(status: .noPackage)
        #expect(none.markdown("quilt-linked") == """
            **Linked packages** (metadata `experiment\\_id` = EXP00000777)

            None yet. Set `experiment\\_id` to EXP00000777 in a package's metadata to link it here.
            """)
        #expect(none.buttons(in: "quilt-linked-actions").isEmpty)
        let report = try await OpenAPIJudge.run(
            [.schema("AppCanvasUpdate", body: view.json), .schema("AppCanvasUpdate", body: none.json)],
            python: world.environment.python, repoRoot: world.environment.repoRoot)
        #expect(report.isClean, "\(report)")
    }

    @Test("a failed lookup is said on the canvas, not hidden")
    func failedLookupIsShown() async throws {
        let world = try await InteractionWorld.make()
        defer { Task { await world.shutdown() } }
        let canvas = try world.canvas()
        // A bucket that does not exist on moto: listing it fails for real.
        let environment = world.environment
        let aws = AWSClient(
            region: AWSRegion(environment.region),
            credentialProvider: StaticCredentialProvider(
                accessKeyId: environment.worker.accessKeyId, secretAccessKey: environment.worker.secretAccessKey),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: environment.awsEndpoint)),
            httpClient: HTTPClient.shared)
        let broken = S3Registry(s3: S3(client: aws), bucket: environment.uniqueName("bq-test-missing"))
        let view = await CanvasInteraction(canvas: canvas, registry: broken).mainView(status: .noPackage)
        let text = try #require(view.markdown("quilt-linked"))
        #expect(text.hasPrefix("**Linked packages**\n\n⚠️ Linked packages could not be looked up: the package list could not be read"), "\(text)")
    }
}
