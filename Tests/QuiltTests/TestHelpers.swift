import Foundation

/// Random bytes, generated 8 at a time (byte-wise generation is slow in debug builds).
func randomData<G: RandomNumberGenerator>(count: Int, using generator: inout G) -> Data {
    var data = Data(count: count)
    data.withUnsafeMutableBytes { raw in
        var offset = 0
        while offset < count {
            var word = generator.next()
            let take = min(8, count - offset)
            withUnsafeBytes(of: &word) {
                raw.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: take)
            }
            offset += take
        }
    }
    return data
}

func randomData(count: Int) -> Data {
    var generator = SystemRandomNumberGenerator()
    return randomData(count: count, using: &generator)
}

/// SplitMix64: a seeded generator so a failing property case can be replayed from its printed seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bq-quilt-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
