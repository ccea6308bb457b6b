import Foundation
import JSONCore
import Testing

@Suite(.timeLimit(.minutes(2))) struct JSONParserTests {
    @Test func keepsIntegerFloatDistinctionAndBigIntegers() throws {
        let value = try JSONValue.parse("[1, 1.0, 1e2, 1E2, -0, 123456789012345678901234567890, -5]")
        #expect(
            value
                == .array([
                    .integer("1"), .float(1.0), .float(100), .float(100), .integer("0"),
                    .integer("123456789012345678901234567890"), .integer("-5"),
                ]))
        #expect(value.compactString() == "[1,1.0,100.0,100.0,0,123456789012345678901234567890,-5]")
    }

    @Test func keepsKeyOrderAndLastDuplicateWins() throws {
        let value = try JSONValue.parse(#"{"z": 1, "a": 2, "z": 3}"#)
        #expect(value.objectValue?.keys == ["z", "a"])
        #expect(value["z"] == .integer("3"))
        #expect(value.compactString() == #"{"z":3,"a":2}"#)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\u2603""#)
        #expect(value == .string("a\"b\\c/d\u{8}\u{c}\n\r\té😀☃"))
        #expect(value.canonicalString() == #""a\"b\\c/d\b\f\n\r\t\u00e9\ud83d\ude00\u2603""#)
    }

    @Test func parsesFromBytesDataAndString() throws {
        let text = #"{"k": ["v", null, true, false, {}]}"#
        let fromString = try JSONValue.parse(text)
        #expect(try JSONValue.parse(Data(text.utf8)) == fromString)
        #expect(try JSONValue.parse(Array(text.utf8)) == fromString)
        #expect(try JSONValue.parse(text.utf8) == fromString)
        #expect(try JSONValue.parse(" \n\t\r 7 \n") == .integer("7"))
    }

    static let invalid: [(String, JSONParseError.Reason, Int)] = [
        ("", .unexpectedEnd, 0),
        ("[1,]", .unexpectedByte(UInt8(ascii: "]")), 3),
        ("{\"a\":1,}", .unexpectedByte(UInt8(ascii: "}")), 7),
        ("{'a':1}", .unexpectedByte(UInt8(ascii: "'")), 1),
        ("[1 2]", .unexpectedByte(UInt8(ascii: "2")), 3),
        ("01", .trailingContent, 1),
        ("1.", .invalidNumber, 2),
        (".5", .unexpectedByte(UInt8(ascii: ".")), 0),
        ("1e", .invalidNumber, 2),
        ("-", .unexpectedEnd, 1),
        ("+1", .unexpectedByte(UInt8(ascii: "+")), 0),
        ("NaN", .unexpectedByte(UInt8(ascii: "N")), 0),
        ("Infinity", .unexpectedByte(UInt8(ascii: "I")), 0),
        ("1e400", .numberOutOfRange, 0),
        ("tru", .unexpectedEnd, 3),
        ("nul1", .unexpectedByte(UInt8(ascii: "1")), 3),
        ("\"abc", .unexpectedEnd, 4),
        ("\"a\tb\"", .controlCharacterInString, 2),
        ("\"\\x\"", .invalidEscape, 1),
        ("\"\\u12g4\"", .invalidUnicodeEscape, 5),
        ("\"\\ud83d\"", .loneSurrogate, 1),
        ("\"\\ude00\"", .loneSurrogate, 1),
        ("\"\\ud83d\\u0041\"", .loneSurrogate, 1),
        ("[1] x", .trailingContent, 4),
        ("{\"a\" 1}", .unexpectedByte(UInt8(ascii: "1")), 5),
        ("{1:2}", .unexpectedByte(UInt8(ascii: "1")), 1),
        ("[", .unexpectedEnd, 1),
        ("// c\n1", .unexpectedByte(UInt8(ascii: "/")), 0),
    ]

    @Test(arguments: invalid.indices)
    func rejectsInvalidJSONWithOffset(index: Int) {
        let (text, reason, offset) = Self.invalid[index]
        #expect(throws: JSONParseError(reason, at: offset)) { try JSONValue.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x22]
        #expect(throws: JSONParseError(.invalidUTF8, at: 1)) { try JSONValue.parse(bytes) }
        let escaped: [UInt8] = Array(#""\n"#.utf8) + [0xC3] + [0x22]
        #expect(throws: JSONParseError(.invalidUTF8, at: 1)) { try JSONValue.parse(escaped) }
    }

    @Test func rejectsExcessiveNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONValue.parse(fine)) != nil)
    }

    @Test func errorDescriptionNamesTheOffset() {
        let error = JSONParseError(.unexpectedByte(UInt8(ascii: "]")), at: 3)
        #expect(error.description == "invalid JSON at byte 3: unexpected character ']'")
    }
}
