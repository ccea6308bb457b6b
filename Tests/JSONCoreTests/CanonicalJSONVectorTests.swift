import Foundation
import JSONCore
import Testing

/// CPython's own output for every case in Fixtures/canonical-json.json. JSONCoreTests does not depend on
/// TestSupport, so the fixture is read relative to this source file.
enum CanonicalVectors {
    struct Case: Sendable {
        let valueJSON: String
        let canonical: String
        let manifestLine: String
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TestSupport/Fixtures/canonical-json.json")
        let root = try! JSONValue.parse(Data(contentsOf: url))
        return root["cases"]!.arrayValue!.map {
            Case(
                valueJSON: $0["value_json"]!.stringValue!, canonical: $0["canonical"]!.stringValue!,
                manifestLine: $0["manifest_line"]!.stringValue!)
        }
    }()
}

@Suite(.timeLimit(.minutes(2))) struct CanonicalJSONVectorTests {
    @Test func fixtureHasCases() {
        #expect(CanonicalVectors.cases.count >= 6)
    }

    @Test(arguments: CanonicalVectors.cases.indices)
    func canonicalMatchesPython(index: Int) throws {
        let vector = CanonicalVectors.cases[index]
        let value = try JSONValue.parse(vector.valueJSON)
        #expect(value.canonicalString() == vector.canonical)
        #expect(value.canonicalData() == Data(vector.canonical.utf8))
    }

    @Test(arguments: CanonicalVectors.cases.indices)
    func manifestLineMatchesPython(index: Int) throws {
        let vector = CanonicalVectors.cases[index]
        let value = try JSONValue.parse(vector.valueJSON)
        #expect(value.pythonString() == vector.manifestLine)
    }

    @Test(arguments: CanonicalVectors.cases.indices)
    func reparsingOutputsIsStable(index: Int) throws {
        let value = try JSONValue.parse(CanonicalVectors.cases[index].valueJSON)
        #expect(try JSONValue.parse(value.pythonString()) == value)
        #expect(try JSONValue.parse(value.compactString()) == value)
        let canonical = try JSONValue.parse(value.canonicalString())
        #expect(canonical.canonicalString() == value.canonicalString())
    }
}
