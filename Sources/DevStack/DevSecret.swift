import BenchlingSandbox
import Foundation
import JSONCore

/// The BenchlingSecret of the dev stack: the sandbox's app credentials and a local registry, written as the JSON
/// file the resolver reads through `BenchlingSecret=file:///…` (the embedded stand-in for Secrets Manager).
public enum DevSecret {
    /// The secret's JSON object. Verification stays on: the dev stack exercises the same signature path as
    /// production, with the sandbox's JWKS.
    public static func document(sandbox: SandboxTenant, registryAddress: String) -> JSONValue {
        .object([
            "CLIENT_ID": .string(sandbox.clientId),
            "CLIENT_SECRET": .string(sandbox.clientSecret),
            "TENANT": "sandbox",
            "APP_DEFINITION_ID": .string(sandbox.appDefinitionId),
            "ENABLE_WEBHOOK_VERIFICATION": true,
            "LOG_LEVEL": "INFO",
            "PKG_PREFIX": "benchling",
            "PKG_KEY": "experiment_id",
            "USER_BUCKET": .string(registryAddress),
            "WEBHOOK_ALLOW_LIST": "",
        ])
    }

    /// Writes the secret (readable by the owner only: it holds the client secret).
    public static func write(sandbox: SandboxTenant, folder: DevFolder) throws {
        let text = document(sandbox: sandbox, registryAddress: folder.registryAddress).compactString()
        try Data(text.utf8).write(to: folder.secret, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder.secret.path)
    }
}
