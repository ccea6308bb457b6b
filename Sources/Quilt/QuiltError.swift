/// Failures of the Quilt module that callers may want to tell apart.
public enum QuiltError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidPackageName(String)
    case invalidLogicalKey(String, reason: String)
    case duplicateLogicalKey(String)
    case invalidTopHash(String)
    case invalidManifest(String)
    case manifestNotFound(topHash: String)
    case objectNotFound(key: String)
    case invalidRegistry(String)

    public var description: String {
        switch self {
        case .invalidPackageName(let name):
            "invalid package name '\(name)': expected prefix/name, each part ASCII letters, digits, '_' or '-'"
        case .invalidLogicalKey(let key, let reason): "invalid logical key '\(key)': \(reason)"
        case .duplicateLogicalKey(let key): "logical key '\(key)' appears twice (or as both file and folder)"
        case .invalidTopHash(let text): "not a top hash (64 lowercase hex characters): '\(text)'"
        case .invalidManifest(let reason): "invalid manifest: \(reason)"
        case .manifestNotFound(let topHash): "manifest \(topHash) not found in the registry"
        case .objectNotFound(let key): "object '\(key)' not found in the registry"
        case .invalidRegistry(let reason): "invalid registry: \(reason)"
        }
    }
}
