import Foundation
import JSONCore
import Testing

@Suite(.timeLimit(.minutes(2))) struct JSONWriterTests {
    /// Expected strings are CPython 3 `repr(float)`.
    static let floats: [(Double, String)] = [
        (0.0, "0.0"), (-0.0, "-0.0"), (1.0, "1.0"), (-1.5, "-1.5"), (0.1, "0.1"), (1e-4, "0.0001"),
        (1e-5, "1e-05"), (1e-7, "1e-07"), (123.456, "123.456"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
        (9999999999999998.0, "9999999999999998.0"), (1.5e300, "1.5e+300"), (2.5e-300, "2.5e-300"),
        (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.30000000000000004, "0.30000000000000004"),
        (123456789.125, "123456789.125"), (1e22, "1e+22"), (0.001234, "0.001234"), (-2.5e-5, "-2.5e-05"),
        (12345678901234567890.0, "1.2345678901234567e+19"), (100.0, "100.0"),
    ]

    @Test(arguments: floats.indices)
    func floatsPrintAsPythonRepr(index: Int) {
        let (value, expected) = Self.floats[index]
        #expect(JSONValue.float(value).canonicalString() == expected)
        #expect(JSONValue.float(value).pythonString() == expected)
    }

    @Test func keysSortByCodePointNotSwiftOrder() {
        // U+FF5E (BMP) sorts before U+1F600 (astral) by code point; UTF-16 order would agree here, but
        // U+E000 vs U+10000 differ: code point puts U+E000 first, while UTF-16 units (0xD800…) would not.
        let object: JSONValue = ["\u{10000}": 1, "\u{E000}": 2, "b": 3, "B": 4, "é": 5, "e\u{301}x": 6]
        #expect(
            object.canonicalString()
                == #"{"B":4,"b":3,"e\u0301x":6,"\u00e9":5,"\ue000":2,"\ud800\udc00":1}"#)
    }

    @Test func pythonAndCompactStylesKeepOrderAndUnicode() {
        let value: JSONValue = ["z": ["x": [], "a": [:]], "é": "\u{7f}☃\u{1}", "n": nil, "f": 2.0]
        #expect(value.pythonString() == #"{"z": {"x": [], "a": {}}, "é": "\#u{7f}☃\u0001", "n": null, "f": 2.0}"#)
        #expect(value.compactString() == #"{"z":{"x":[],"a":{}},"é":"\#u{7f}☃\u0001","n":null,"f":2.0}"#)
    }

    /// Expected: CPython `json.dumps(value, indent=2)`.
    @Test func indentedStyleIsPythonIndentTwo() {
        let value: JSONValue = ["z": ["x": [], "a": [:]], "é": "\u{7f}☃\u{1}😀", "n": nil, "l": [1, ["k": true]]]
        let expected =
            "{\n  \"z\": {\n    \"x\": [],\n    \"a\": {}\n  },\n  \"\\u00e9\": \"\\u007f\\u2603\\u0001\\ud83d\\ude00\",\n  \"n\": null,\n  \"l\": [\n    1,\n    {\n      \"k\": true\n    }\n  ]\n}"
        #expect(value.indentedString() == expected)
        #expect(JSONValue.array([]).indentedString() == "[]")
    }

    @Test func codableRoundTripKeepsValues() throws {
        let value: JSONValue = [
            "s": "x", "i": 42, "f": 2.5, "b": true, "n": nil, "a": [1, "two"], "big": .integer("18446744073709551615"),
        ]
        let data = try JSONEncoder().encode(value)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(decoded["s"] == "x")
        #expect(decoded["i"] == .integer("42"))
        #expect(decoded["f"] == .float(2.5))
        #expect(decoded["b"] == true)
        #expect(decoded["n"] == .null)
        #expect(decoded["a"] == [1, "two"])
        #expect(decoded["big"] == .integer("18446744073709551615"))
        #expect(try JSONValue.parse(data)["i"] == .integer("42"))
    }

    struct Sample: Codable, Equatable {
        var name: String
        var count: Int
        var ratio: Double
        var tags: [String]
    }

    @Test func encodingAndDecodingHelpers() throws {
        let sample = Sample(name: "Zoë", count: 3, ratio: 0.25, tags: ["a"])
        let value = try JSONValue(encoding: sample)
        #expect(value["count"] == .integer("3"))
        #expect(value["ratio"] == .float(0.25))
        #expect(value.objectValue?.keys == ["count", "name", "ratio", "tags"])
        #expect(try value.decode(Sample.self) == sample)
    }
}
