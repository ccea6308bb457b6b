/// A schema we cannot use (invalid for draft 7, a keyword we do not implement, `$ref`), or an instance that
/// does not match one.
public enum JSONSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The schema itself is refused; `path` is where in the schema (`#/properties/creator`).
    case unusableSchema(path: String, reason: String)
    /// The instance fails a rule; `path` is where in the instance (`$.creator`).
    case mismatch(path: String, reason: String)

    public var description: String {
        switch self {
        case .unusableSchema(let path, let reason): "\(reason) (at \(path) in the schema)"
        case .mismatch(let path, let reason): "at \(path): \(reason)"
        }
    }
}
