import Foundation
import JobLog

/// The text the dev command prints after a round: job outcomes, packages and top hashes, the registry, how to
/// browse a package with quilt3, and each canvas rendered as text.
public struct DevReport: Sendable {
    public let results: [DeliveryResult]
    public let registryAddress: String
    public let canvases: [String]

    /// Gathers the current canvases from the sandbox.
    public static func make(results: [DeliveryResult], stack: DevStack) async -> DevReport {
        var canvases: [String] = []
        for sample in stack.samples {
            if let canvas = await stack.sandbox.canvas(sample.canvasId) { canvases.append(CanvasText.render(canvas)) }
        }
        return DevReport(results: results, registryAddress: stack.folder.registryAddress, canvases: canvases)
    }

    /// Each package written in this round with its newest top hash (results are in delivery order).
    public var packages: [(name: String, topHash: String)] {
        var latest: [String: String] = [:]
        var order: [String] = []
        for result in results {
            guard let job = result.job, job.status.isFinishedSuccessfully,
                let name = job.package, let hash = job.topHash
            else { continue }
            if latest[name] == nil { order.append(name) }
            latest[name] = hash
        }
        return order.map { ($0, latest[$0]!) }
    }

    public var text: String {
        var lines = ["", "Jobs:"]
        for result in results {
            let status = result.job?.status.rawValue ?? "not started"
            var line =
                "  \(pad(status, 13)) \(pad(result.eventType, 26)) \(result.sample.displayId)"
                + "  (HTTP \(result.httpStatus) on \(result.path))"
            if let job = result.job, let package = job.package, let hash = job.topHash {
                line += "  → \(package) @ \(hash.prefix(12))"
            }
            if let error = result.job?.error, !(result.job?.status.isFinishedSuccessfully ?? true) {
                line += "\n      error: \(error)"
            }
            lines.append(line)
        }
        lines += ["", "Packages (local registry \(registryAddress)):"]
        let packages = packages
        if packages.isEmpty { lines.append("  (none written)") }
        for package in packages { lines.append("  \(package.name)  top hash \(package.topHash)") }
        if let first = packages.first {
            lines += [
                "", "Browse a package with quilt3 (pip install quilt3):",
                "  "
                    + Self.browseCommand(
                        package: first.name, topHash: first.topHash, registry: registryAddress),
            ]
        }
        lines += ["", "Canvases:"]
        lines += canvases.map {
            $0.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
                .joined(separator: "\n")
        }
        return lines.joined(separator: "\n")
    }

    /// A copy-paste quilt3 command that loads the revision and prints its tree and metadata.
    public static func browseCommand(package: String, topHash: String, registry: String) -> String {
        "python3 -c \"import quilt3; p = quilt3.Package.browse('\(package)', registry='\(registry)', "
            + "top_hash='\(topHash)'); print(p); print(p.meta)\""
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
