import Benchling
import Foundation

/// Where a package can be opened: catalog and QuiltSync links when the deployment has a catalog, else the local
/// registry path (embedded mode).
public struct PackageLocation: Sendable, Equatable {
    public var packageName: String
    public var catalogURL: String?
    public var quiltSyncURL: String?
    public var localRegistry: String?

    public init(
        packageName: String, catalogURL: String? = nil, quiltSyncURL: String? = nil, localRegistry: String? = nil
    ) {
        self.packageName = packageName
        self.catalogURL = catalogURL
        self.quiltSyncURL = quiltSyncURL
        self.localRegistry = localRegistry
    }
}

/// The state the canvas footer reports.
public enum CanvasStatus: Sendable, Equatable {
    /// No package has been written for this entry yet.
    case noPackage
    /// Work is queued or running: Update is disabled so a second click is not mistaken for progress.
    case updating
    case updated(topHash: String, at: Date, unchanged: Bool)
    /// What went wrong and what the user can do about it.
    case failed(problem: String, nextStep: String)
}

/// Renders the main canvas view (behaviour.md, "Canvas"). Pure: the same inputs give the same blocks.
public enum CanvasRenderer {
    /// `deployment`: the footer's last line, `{bucket}@{catalog host} Rev {version}` as the Python service showed
    /// it (see `EntryCanvas.deployment`), so users and support can tell which deployment and build drew the canvas.
    public static func main(
        entryId: String, displayId: String, entryName: String?, location: PackageLocation, status: CanvasStatus,
        warnings: [String] = [], deployment: String? = nil
    ) -> AppCanvasUpdate {
        var text = ["## \(Markdown.escape(displayId))"]
        if let name = entryName, !name.isEmpty { text.append(Markdown.escape(name)) }
        if status != .noPackage {
            if let catalog = location.catalogURL {
                var line = "Package: " + Markdown.link(location.packageName, url: catalog)
                if let sync = location.quiltSyncURL { line += " · " + Markdown.link("Open in QuiltSync", url: sync) }
                text.append(line)
            } else if let registry = location.localRegistry {
                text.append("Package: `\(location.packageName)` in the local registry `\(registry)`")
            }
        }
        for warning in warnings { text.append("⚠️ " + Markdown.escape(warning, maxLength: 300)) }

        let busy = status == .updating
        let hasPackage: Bool
        switch status {
        case .updated: hasPackage = true
        case .failed, .updating: hasPackage = location.catalogURL != nil || location.localRegistry != nil
        case .noPackage: hasPackage = false
        }
        let buttons = CanvasBlock.section(
            id: "quilt-actions",
            children: [
                .button(
                    id: CanvasButton(.browse(page: 0), entryId: entryId).description, text: "Browse Package",
                    enabled: hasPackage && !busy),
                .button(
                    id: CanvasButton(.update, entryId: entryId).description, text: "Update Package", enabled: !busy),
            ])
        return AppCanvasUpdate(
            blocks: [
                .markdown(id: "quilt-summary", value: text.joined(separator: "\n\n")),
                buttons,
                .markdown(id: "quilt-status", value: footer(status, deployment: deployment)),
            ],
            enabled: true
        )
    }

    static func footer(_ status: CanvasStatus, deployment: String?) -> String {
        guard let deployment, !deployment.isEmpty else { return footer(status) }
        return footer(status) + "\n\n" + Markdown.escape(deployment)
    }

    static func footer(_ status: CanvasStatus) -> String {
        switch status {
        case .noPackage:
            return "No package yet. Press **Update Package** to export this entry to Quilt."
        case .updating:
            return "⏳ Updating…"
        case .updated(let topHash, let at, let unchanged):
            let revision = String(topHash.prefix(12))
            let suffix = unchanged ? " (no changes since the last revision)" : ""
            return "✅ Updated at \(timestamp(at)) UTC · revision `\(revision)`\(suffix)"
        case .failed(let problem, let nextStep):
            return "❌ \(Markdown.escape(problem, maxLength: 400))\n\n\(Markdown.escape(nextStep, maxLength: 300))"
        }
    }

    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }
}
