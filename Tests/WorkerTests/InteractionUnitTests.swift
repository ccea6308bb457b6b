import Foundation
import JSONCore
import Quilt
import Testing

@testable import Worker

/// Button ids and the manifest line reader, without a sandbox.
@Suite("Interaction: ids and manifest lines", .timeLimit(.minutes(5)))
struct InteractionUnitTests {
    @Test func buttonIdsRoundTripAndParseStrictly() throws {
        let package = try PackageName("team/assay-1")
        let forms: [CanvasButton.Action] = [
            .update, .browse(page: 3), .metadata, .back, .linkedBrowse(package, page: 0),
            .linkedBrowse(package, page: 12),
        ]
        for form in forms.map({ CanvasButton($0, entryId: "etr_a1") }) {
            #expect(CanvasButton(parsing: form.description) == form, "\(form)")
        }
        #expect(
            CanvasButton(.linkedBrowse(package, page: 2), entryId: "etr_a1").description
                == "quilt:linked:etr_a1:2:team/assay-1")
        for bad in [
            "quilt:linked:etr_a1:0", "quilt:linked:etr_a1:00:team/a", "quilt:linked:etr_a1:+1:team/a",
            "quilt:linked:etr_a1:0:team/a:x", "quilt:linked:etr_a1:0:team", "quilt:linked:etr_a1:0:te am/a",
            "quilt:linked:ent_a1:0:team/a", "quilt:linked:etr_a1:1000000:team/a", "Quilt:linked:etr_a1:0:team/a",
            "quilt:linked:etr_a1:0:team/" + String(repeating: "a", count: 200),
        ] {
            #expect(CanvasButton(parsing: bad) == nil, "\(bad)")
        }
        let long = try PackageName("team/" + String(repeating: "a", count: 180))
        #expect(CanvasButton(.linkedBrowse(long, page: 0), entryId: "etr_a1").renderableId == nil)
    }

    @Test func manifestLinesParseOnlyTheRequestedRange() throws {
        let text = """
            {"version": "v0", "user_meta": {"experiment_id": "EXP1"}, "message": "m"}
            {"logical_key": "a.txt", "physical_keys": ["file:///r/a.txt"], "size": 3, "hash": {"type": "SHA2-256-chunked", "value": "x"}, "meta": {}}

            {"logical_key": "dir/", "meta": {"user_meta": {"k": 1}}}
            {"logical_key": "b.txt", "physical_keys": ["s3://b/b.txt?versionId=1"], "size": 5, "hash": {"type": "SHA2-256-chunked", "value": "y"}, "meta": {}}
            this line is never parsed
            """
        let lines = ManifestLines(Data(text.utf8))
        #expect(lines.entryCount == 4, "blank lines are not entries; the folder line counts until parsed")
        #expect(try lines.header().userMeta?["experiment_id"] == "EXP1")
        let files = try lines.entries(in: 0..<3)
        #expect(files.map(\.logicalKey) == ["a.txt", "b.txt"])
        #expect(files.map(\.size) == [3, 5])
        #expect(files.map(\.physicalKey) == ["file:///r/a.txt", "s3://b/b.txt?versionId=1"])
        #expect(throws: QuiltError.self) { try lines.entries(in: 3..<4) }
        #expect(try lines.entries(in: 10..<25).isEmpty)
        #expect(ManifestLines(Data()).entryCount == 0)
        #expect(throws: QuiltError.self) { try ManifestLines(Data()).header() }
    }

    @Test func revisionTimeComesFromTheExportTimestamp() throws {
        #expect(CanvasInteraction.parseTime("2026-01-02T03:04:05Z") == Date(timeIntervalSince1970: 1_767_323_045))
        #expect(CanvasInteraction.parseTime("2026-01-02T03:04:05.500Z") == Date(timeIntervalSince1970: 1_767_323_045.5))
        #expect(CanvasInteraction.parseTime("yesterday") == nil)
    }
}
