import Foundation
import JSONCore
import Quilt
import TestSupport
import Testing

@testable import Worker

/// View Metadata of a linked package, as the Python service showed it: the package's `entry.json` file when it has
/// one, else its `user_meta`.
@Suite("Interaction: linked package metadata", .timeLimit(.minutes(2)))
struct InteractionLinkedMetadataTests {
    @Test("entry.json when the package has one, else user_meta; an unlinked package is refused")
    func linkedMetadataView() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            let e = world.entryId
            let source = world.folder.appendingPathComponent("entry-\(UUID().uuidString).json")
            let fileDocument: JSONValue = [
                "experiment_id": "EXP00000042", "from": "the entry.json file", "nested": ["a": 1],
            ]
            try Data(fileDocument.indentedString().utf8).write(to: source)
            _ = try await PackageWriter(registry: world.registry).publish(
                package: try PackageName("team/with-entry-json"), message: "m",
                userMeta: ["experiment_id": "EXP00000042", "from": "the header"],
                files: [PackageFile(localURL: source, logicalKey: "entry.json", contentType: "application/json")],
                dataKeyPrefix: "team/with-entry-json")
            try await world.publish(
                "team/plain", count: 1, userMeta: ["experiment_id": "EXP00000042", "from": "the header"])
            try await world.publish("team/other", count: 1, userMeta: ["experiment_id": "EXP00000099"])

            let withFile = try await world.press("quilt:linked-metadata:\(e):team/with-entry-json", canvas: canvas)
            let text = try #require(withFile.markdown("quilt-metadata"))
            #expect(text.contains("`entry.json`:"), "\(text)")
            #expect(text.contains("**from**: the entry\\.json file"), "\(text)")
            #expect(text.contains("- **nested**:\n  - **a**: 1"), "\(text)")
            #expect(
                withFile.buttons(in: "quilt-metadata-actions").map(\.id) == [
                    "quilt:back:\(e)", "quilt:linked:\(e):0:team/with-entry-json",
                ])

            let plain = try await world.press("quilt:linked-metadata:\(e):team/plain", canvas: canvas)
            let plainText = try #require(plain.markdown("quilt-metadata"))
            #expect(
                plainText.contains("Package metadata:") && plainText.contains("**from**: the header"), "\(plainText)")

            let other = try await world.press("quilt:linked-metadata:\(e):team/other", canvas: canvas)
            #expect(other.markdown("quilt-problem")?.contains("no longer linked") == true)

            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
            #expect(report.checked == 3)
        }
    }

    @Test func buttonIdsRoundTrip() throws {
        let package = try PackageName("team/assay-1")
        let button = CanvasButton(.linkedMetadata(package), entryId: "etr_a1")
        #expect(button.description == "quilt:linked-metadata:etr_a1:team/assay-1")
        #expect(CanvasButton(parsing: button.description) == button)
        #expect(CanvasButton(parsing: "quilt:linked-metadata:etr_a1") == nil)
        #expect(button.packages == false)
        #expect(
            PackageSnapshot.registryKey(physicalKey: "s3://b/team/x/entry.json?versionId=v1", registryURL: "s3://b")
                == "team/x/entry.json")
        #expect(PackageSnapshot.registryKey(physicalKey: "s3://other/team/x/entry.json", registryURL: "s3://b") == nil)
    }
}
