import Foundation
import Testing

@testable import Worker

/// The committed seeds of `scripts/fuzz button`: the rendered forms parse and render back unchanged, the rest are
/// refused.
@Suite("Canvas button fuzz seeds", .timeLimit(.minutes(1)))
struct CanvasButtonSeedTests {
    @Test func seedsParseAndRenderBackOrAreRefused() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/corpus/button")
        var parsed: [String] = []
        for seed in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) {
            let id = try String(contentsOf: seed, encoding: .utf8)
            guard let button = CanvasButton(parsing: id) else { continue }
            #expect(button.description == id)
            parsed.append(seed.lastPathComponent)
        }
        #expect(parsed.sorted() == ["back", "browse", "linked", "linked-metadata", "metadata", "update"])
    }
}
