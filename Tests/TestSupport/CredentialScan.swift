import Foundation

/// Finds credentials in log lines: the given secret values, and the shapes a signature, a bearer token or a
/// pre-signed URL takes whatever its value.
public enum CredentialScan {
    /// Text shapes that never belong in a log line.
    public static let forbiddenShapes = [
        "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "Signature=", "Bearer ", "Basic ",
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "/downloads/",
    ]

    /// Every (line, finding) where a line contains one of `secrets` or a forbidden shape.
    public static func findings(in lines: [CapturedLogs.Line], secrets: [String]) -> [String] {
        findings(
            inText: lines.map { line in
                ([line.message] + line.metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
            }, secrets: secrets)
    }

    /// The same for log lines as a process printed them (one JSON object each).
    public static func findings(inText lines: [String], secrets: [String]) -> [String] {
        var found: [String] = []
        for text in lines {
            let shown = String(text.prefix(160))
            for secret in secrets where !secret.isEmpty && text.contains(secret) {
                found.append("a secret value in: \(shown)")
            }
            for shape in forbiddenShapes where text.contains(shape) {
                found.append("\(shape) in: \(shown)")
            }
        }
        return found
    }
}
