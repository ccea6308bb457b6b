import Foundation

/// Reads the secret from a local JSON file (`BenchlingSecret=file:///abs/path/secret.json`): the embedded
/// default's stand-in for Secrets Manager, so the service runs on a laptop without AWS.
public struct FileSecretSource: SecretSource {
    public init() {}

    public func secretString(reference: String) async throws(SourceFailure) -> SecretText {
        let text = try read(reference)
        return SecretText(text: text, versionId: Self.fingerprint(text))
    }

    /// A file has no version ids: its content's fingerprint stands in (reading a small local file costs no
    /// more than looking at its attributes, and no edit is missed however quickly it follows the last).
    public func currentVersion(reference: String) async throws(SourceFailure) -> String? {
        Self.fingerprint(try read(reference))
    }

    /// `file-` and the 64-bit FNV-1a hash of the text in hex: tells versions apart, reveals nothing usable.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "file-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    private func read(_ reference: String) throws(SourceFailure) -> String {
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
