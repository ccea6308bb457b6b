/// A Quilt package handle `prefix/name`; each part is ASCII word characters and `-`, as quilt3 requires.
public struct PackageName: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let prefix: String
    public let name: String

    public init(_ handle: String) throws(QuiltError) {
        let parts = handle.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy(Self.isValidPart) else { throw .invalidPackageName(handle) }
        prefix = String(parts[0])
        name = String(parts[1])
    }

    public init(prefix: String, name: String) throws(QuiltError) {
        try self.init(prefix + "/" + name)
    }

    public var description: String { prefix + "/" + name }

    static func isValidPart(_ part: Substring) -> Bool {
        !part.isEmpty
            && part.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }

    public static func < (lhs: PackageName, rhs: PackageName) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
