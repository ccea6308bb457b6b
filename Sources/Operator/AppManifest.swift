import Foundation

/// The Benchling app manifest for this deployment: what an administrator pastes into Benchling to create the app.
///
/// One canvas feature (`quilt_entry`, shown in entries as "Quilt Package") and webhook subscriptions to every event
/// the worker acts on. Lifecycle events need no subscription: Benchling sends them to every app.
public struct AppManifest: Sendable, Equatable {
    public static let featureId = "quilt_entry"
    public static let featureName = "Quilt Package"
    public static let subscribedEvents = [
        "v2.canvas.userInteracted", "v2.canvas.created", "v2.entry.created", "v2.entry.updated.fields",
        "v2.entry.updated.reviewRecord",
    ]

    public var name: String
    public var description: String
    public var version: String
    /// The receiver's base URL; Benchling appends `/event`, `/canvas`, `/lifecycle` (Suffixed routing).
    public var webhookURL: String?

    public init(
        name: String = "Quilt Packages",
        description: String = "Packages notebook entries into versioned Quilt data packages in S3.",
        version: String = "1.0.0", webhookURL: String? = nil
    ) {
        self.name = name
        self.description = description
        self.version = version
        self.webhookURL = webhookURL
    }

    /// The manifest as YAML.
    public var yaml: String {
        var lines = [
            "manifestVersion: 1",
            "info:",
            "  name: \(Self.quoted(name))",
            "  description: \(Self.quoted(description))",
            "  version: \(Self.quoted(version))",
        ]
        if let webhookURL {
            lines += ["settings:", "  webhookUrl: \(Self.quoted(webhookURL))"]
        }
        lines += [
            "features:",
            "  - id: \(Self.featureId)",
            "    name: \(Self.quoted(Self.featureName))",
            "    type: CANVAS",
            "subscriptions:",
            "  deliveryMethod: WEBHOOK",
            "  messages:",
        ]
        lines += Self.subscribedEvents.map { "    - type: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What Benchling cannot be told through the manifest (printed on stderr so stdout stays pasteable YAML).
    public static let reminder = """
        Next, in Benchling:
          1. Create the app from this manifest; under Webhook URL routing choose "Suffixed" so events arrive at
             /event, canvas signals at /canvas and lifecycle events at /lifecycle.
          2. Install it, then add the app's service account to every project whose entries it should package
             (it reads only entries it has access to).
          3. Put the app's client id, client secret and app definition id into the Benchling secret.

        """

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default:
                if scalar.value < 0x20 {
                    escaped += String(format: "\\x%02X", scalar.value)
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return "\"\(escaped)\""
    }
}
