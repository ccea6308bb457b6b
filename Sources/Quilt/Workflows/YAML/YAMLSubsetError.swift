/// Why a workflows config is not in the YAML subset we read, with the 1-based line it was found on.
public struct YAMLSubsetError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
