import Foundation

/// Reads the secret from a local JSON file (`BenchlingSecret=file:///abs/path/secret.json`): the embedded
/// default's stand-in for Secrets Manager, so the service runs on a laptop without AWS.
public struct FileSecretSource: SecretSource {
    public init() {}

    public func secretString(reference: String) async throws(SourceFailure) -> String {
        guard let path = ValueRules.localRegistryPath(reference) else {
            throw .notFound(detail: "\(reference) is not a file:///absolute/path URL")
        }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .notFound(detail: "no file at \(path)")
        }
        guard manager.isReadableFile(atPath: path) else {
            throw .accessDenied(action: "read", detail: "\(path) is not readable by this process")
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let text = String(data: data, encoding: .utf8) else {
                throw SourceFailure.unavailable(detail: "\(path) is not UTF-8 text")
            }
            return text
        } catch let failure as SourceFailure {
            throw failure
        } catch {
            throw .unavailable(detail: "could not read \(path): \(error.localizedDescription)")
        }
    }
}
