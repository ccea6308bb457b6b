import Foundation

/// Where the Benchling API and JWKS live. Derived only from configuration (tenant, app definition id, or the
/// test overrides) — never from a webhook body, so a forged body cannot redirect our OAuth token.
public enum BenchlingEndpoints {
    /// `https://{tenant}.benchling.com`, or `override` (BENCHLING_BASE_URL) when set. `tenant` may be `acme`,
    /// `acme.benchling.com` or `https://acme.benchling.com/`. No trailing slash.
    public static func baseURL(tenant: String, override: String? = nil) -> String {
        if let override, !override.isEmpty { return trimmed(override) }
        var host = tenant.trimmingCharacters(in: .whitespaces)
        for prefix in ["https://", "http://"] where host.lowercased().hasPrefix(prefix) {
            host = String(host.dropFirst(prefix.count))
        }
        host = trimmed(host)
        if !host.contains(".") { host += ".benchling.com" }
        return "https://\(host)"
    }

    /// `https://apps.benchling.com/api/v1/apps/{appDefinitionId}/jwks`, or `override` (BENCHLING_JWKS_URL).
    public static func jwksURL(appDefinitionId: String, override: String? = nil) -> String {
        if let override, !override.isEmpty { return override }
        return "https://apps.benchling.com/api/v1/apps/\(appDefinitionId)/jwks"
    }

    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
