/// Which workflow to publish under, from the optional secret key `PKG_WORKFLOW` (as quilt3's `workflow=`
/// argument and the Python service's `workflow` setting).
public enum WorkflowRequest: Sendable, Hashable, CustomStringConvertible {
    /// Key absent: the config's `default_workflow` (quilt3's `...`).
    case bucketDefault
    /// `""`: no workflow (allowed only when the config does not require one).
    case none
    case named(String)

    /// The secret's value: nil when absent.
    public init(secretValue: String?) {
        switch secretValue {
        case nil: self = .bucketDefault
        case ""?: self = .none
        case let id?: self = .named(id)
        }
    }

    public var description: String {
        switch self {
        case .bucketDefault: "(the bucket's default)"
        case .none: "\"\" (no workflow)"
        case .named(let id): id
        }
    }
}
