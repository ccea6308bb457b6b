import BenchlingSandbox

/// The sandbox's webhook message builder. Both Benchling and BenchlingSandbox export a `WebhookMessage`, and the
/// module name `BenchlingSandbox` is shadowed by its class, so tests name the builder through this alias (this
/// file imports only the sandbox).
typealias SandboxMessage = WebhookMessage
