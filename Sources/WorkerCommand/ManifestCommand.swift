import ArgumentParser
import Foundation
import Operator

/// `worker manifest`: the Benchling app manifest for this deployment.
public struct ManifestCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "Print the Benchling app manifest (YAML) for this deployment.",
        discussion: """
            The manifest declares one canvas feature (id quilt_entry, "Quilt Package") and webhook subscriptions \
            to v2.canvas.userInteracted, v2.canvas.created, v2.entry.created, v2.entry.updated.fields and \
            v2.entry.updated.reviewRecord. With --url it also sets the webhook URL: the receiver's address without \
            a suffix (Benchling appends /event, /canvas, /lifecycle). The YAML goes to stdout, the remaining setup \
            steps to stderr.

            Example:
              worker manifest --url https://benchling-webhook.example.com > manifest.yaml
            """)

    @Option(help: ArgumentHelp("The receiver's public base URL (https://…).", valueName: "url"))
    var url: String?
    @Option(help: "The app's name in Benchling.")
    var name: String = AppManifest().name

    public init() {}

    public func validate() throws {
        if let url {
            guard let parsed = URL(string: url), parsed.scheme == "https", parsed.host != nil else {
                throw ValidationError("--url must be an https:// URL (Benchling delivers webhooks over HTTPS only)")
            }
        }
    }

    public func run() async throws {
        OperatorOutput.out(AppManifest(name: name, webhookURL: url).yaml)
        OperatorOutput.note(AppManifest.reminder)
    }
}
