import Foundation
import Logging

/// Everything about the sandbox tenant that a test may want to choose before it starts.
///
/// The defaults describe a small, well-behaved tenant: fixed credentials, long-lived tokens, exports that run
/// for two polls and then succeed, and webhooks signed with the public RFC 6979 test key from the signature vectors
/// (so recorded deliveries are reproducible).
public struct SandboxOptions: Sendable {
    /// OAuth client id the token endpoint accepts (Basic auth user).
    public var clientId: String = "sandbox-client"
    /// OAuth client secret the token endpoint accepts (Basic auth password).
    public var clientSecret: String = "sandbox-secret"
    /// `expires_in` of issued tokens, in seconds; a token is refused after this long.
    public var tokenLifetimeSeconds: Int = 3600
    /// Envelope `tenantId` of signed deliveries.
    public var tenantId: String = "ten_sandbox"
    /// Envelope `app.id` (the installation) and the default owner of canvases.
    public var appId: String = "app_sandbox"
    /// Envelope `appDefinition.id`.
    public var appDefinitionId: String = "appdef_sandbox"
    /// Envelope `appDefinition.versionNumber`.
    public var appVersionNumber: String = "1.0.0"
    /// Key that signs webhook deliveries and is published in the JWKS.
    public var signingKey: SigningKeyChoice = .vectorTestKey
    /// Number of `GET /tasks/{id}` answers that say RUNNING before an export task finishes (per entry overridable).
    public var exportRunningPolls: Int = 2
    /// Largest request body the sandbox reads; bigger bodies get 413.
    public var maxRequestBodyBytes: Int = 16 * 1024 * 1024
    /// Folder for built export ZIPs; a fresh temporary folder when nil. Removed on shutdown only when the sandbox made it.
    public var workDirectory: URL? = nil
    /// Logger for the embedded Hummingbird server.
    public var logger: Logger = {
        var logger = Logger(label: "benchling-sandbox")
        logger.logLevel = .warning
        return logger
    }()

    public init() {}
}
