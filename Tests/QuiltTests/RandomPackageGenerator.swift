import Foundation
import JSONCore

/// Random package trees for property tests: unicode names, nested folders, metadata with every JSON shape.
struct RandomPackageGenerator {
    var rng: SeededGenerator

    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    /// Characters that stress quoting, escaping and code-point ordering (no `/`, NUL or combining marks:
    /// Swift compares strings by canonical equivalence, Python by code point).
    static let nameAlphabet: [Character] = Array(
        "abcXYZ019_-.~ +%#?&=',;!@$()[]{}éñüßÆ中文☃✓€Ω😀🎉\u{7f}\u{a0}\u{ff5e}\u{e000}\u{10000}")
    static let textAlphabet: [Character] =
        nameAlphabet + ["\"", "\\", "/", "\n", "\t", "\r", "\u{1}", "\u{1f}", "\u{8}", "\u{c}"]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    mutating func string(from alphabet: [Character], length: ClosedRange<Int>) -> String {
        String((0..<int(length)).map { _ in alphabet[int(0...alphabet.count - 1)] })
    }

    mutating func segment() -> String {
        while true {
            let name = string(from: Self.nameAlphabet, length: 1...12)
            if name != "." && name != ".." && name.utf8.count < 200 { return name }
        }
    }

    mutating func float() -> Double {
        switch int(0...4) {
        case 0: return Double(int(-1000...1000))  // integral floats print as "1.0"
        case 1: return Double.random(in: -1...1, using: &rng)
        case 2: return Double.random(in: -1e300...1e300, using: &rng)
        case 3:
            return [1e-7, 1e16, 1e22, Double.leastNonzeroMagnitude, 0.1, 0.30000000000000004, 123456789012345.6, -0.0][
                int(0...7)]
        default:
            while true {
                let value = Double(bitPattern: rng.next())
                if value.isFinite { return value }
            }
        }
    }

    mutating func value(depth: Int) -> JSONValue {
        let kind = depth >= 3 ? int(0...5) : int(0...7)
        switch kind {
        case 0: return .null
        case 1: return .bool(chance(0.5))
        case 2: return .integer(String(int(Int.min...Int.max)))
        case 3: return chance(0.2) ? .integer("-123456789012345678901234567890") : .int(int(-100...100))
        case 4: return .float(float())
        case 5: return .string(string(from: Self.textAlphabet, length: 0...20))
        case 6: return .array((0..<int(0...4)).map { _ in value(depth: depth + 1) })
        default: return .object(object(depth: depth + 1))
        }
    }

    mutating func object(depth: Int) -> JSONObject {
        var object = JSONObject()
        for _ in 0..<int(0...5) { object[string(from: Self.textAlphabet, length: 0...8)] = value(depth: depth) }
        return object
    }

    /// Logical keys with up to three folder levels, unique, no file doubling as a folder.
    mutating func tree(maxFiles: Int) -> [(key: String, size: Int, userMeta: JSONObject?)] {
        var keys = Set<String>()
        var folders = Set<String>()
        var files: [(String, Int, JSONObject?)] = []
        let count = int(1...maxFiles)
        var attempts = 0
        while files.count < count && attempts < 1000 {
            attempts += 1
            let depth = int(0...3)
            var segments: [String] = []
            for _ in 0..<depth {
                // Reuse folder names often so trees share prefixes (and exercise walk order).
                segments.append(chance(0.5) ? ["a", "a-b", "A", "é"][int(0...3)] : segment())
            }
            segments.append(segment())
            let key = segments.joined(separator: "/")
            let parents = (1..<segments.count).map { segments[0..<$0].joined(separator: "/") }
            if keys.contains(key) || folders.contains(key) || parents.contains(where: keys.contains) { continue }
            keys.insert(key)
            folders.formUnion(parents)
            let size = chance(0.2) ? 0 : int(1...4096)
            files.append((key, size, chance(0.5) ? object(depth: 1) : nil))
        }
        return files
    }
}
