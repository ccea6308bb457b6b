import Foundation

/// A misbehaviour the sandbox can be told to show for the next requests of a route.
public enum SandboxFault: Sendable, Hashable {
    /// 429 with `x-rate-limit-reset` set to this text (Benchling sends integer seconds; "0" keeps tests fast).
    case rateLimited(reset: String = "1")
    /// This status (500, 502, 503, 403, 404, …) with a Benchling error body.
    case status(Int)
    /// Wait this long, then answer normally.
    case delay(Duration)
    /// Close without a useful answer: 500 with an empty, non-JSON body (a proxy failure).
    case emptyServerError
}

/// Which requests a fault applies to.
public enum SandboxRoute: String, Sendable, Hashable, CaseIterable {
    case any
    case token
    case getEntry
    case export
    case task
    case getCanvas
    case updateCanvas
    case createCanvas
    case jwks
    case download
    /// `GET /{collection}:bulk-get` and `GET /{collection}/{id}` of linked objects (name lookups).
    case namedObjects
    case other

    /// Classifies a request by method and path.
    static func classify(method: String, path: String) -> SandboxRoute {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch (method, parts.count) {
        case ("GET", 1) where parts[0] == "jwks": return .jwks
        case ("GET", 2) where parts[0] == "downloads": return .download
        default: break
        }
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v2" else { return .other }
        let rest = Array(parts.dropFirst(2))
        switch (method, rest.count, rest[0]) {
        case ("POST", 1, "token"): return .token
        case ("GET", 2, "entries"): return .getEntry
        case ("POST", 1, "exports"): return .export
        case ("GET", 2, "tasks"): return .task
        case ("GET", 2, "app-canvases"): return .getCanvas
        case ("PATCH", 2, "app-canvases"): return .updateCanvas
        case ("POST", 1, "app-canvases"): return .createCanvas
        case ("GET", 1, let name) where name.hasSuffix(":bulk-get"): return .namedObjects
        case ("GET", 2, let name) where NamedCollections.listKeys[name] != nil: return .namedObjects
        default: return .other
        }
    }
}

/// A queued fault: applies to `remaining` more requests of `route`.
struct PendingFault: Sendable {
    var fault: SandboxFault
    var route: SandboxRoute
    var remaining: Int
}

/// Counts of the calls tests most often assert on.
public struct SandboxCounters: Sendable, Hashable {
    public var tokenFetches = 0
    /// Token requests refused for bad credentials.
    public var tokenRejections = 0
    public var jwksFetches = 0
    public var exportsStarted = 0
    public var taskPolls = 0
    public var downloads = 0
    public var canvasUpdates = 0
    /// Requests to the by-id and bulk-get endpoints of linked objects.
    public var nameLookups = 0
    /// API calls refused because the bearer token was missing, unknown or expired.
    public var unauthorized = 0
}
