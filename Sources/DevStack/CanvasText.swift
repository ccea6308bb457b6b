import Benchling
import BenchlingSandbox
import Foundation

/// A canvas as a developer would see it in Benchling, as plain text: markdown verbatim (indented), buttons as
/// `[Label]` (marked when disabled), sections on one line. Lets the terminal show what the worker put there.
public enum CanvasText {
    public static func render(_ canvas: SandboxCanvas) -> String {
        var lines = ["canvas \(canvas.id) on \(canvas.resourceId) — \(canvas.enabled ? "enabled" : "DISABLED")"]
        if canvas.blocks.isEmpty { lines.append("  (no blocks yet)") }
        for block in canvas.blocks.map(CanvasBlock.init(json:)) {
            lines.append(contentsOf: render(block).map { "  " + $0 })
        }
        return lines.joined(separator: "\n")
    }

    static func render(_ block: CanvasBlock) -> [String] {
        switch block {
        case .markdown(_, let value):
            return value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        case .button(_, let text, let enabled):
            return [button(text, enabled: enabled)]
        case .section(_, let children):
            let inline = children.compactMap { child -> String? in
                if case .button(_, let text, let enabled) = child { return button(text, enabled: enabled) }
                return nil
            }
            let others = children.filter { if case .button = $0 { return false } else { return true } }
            return (inline.isEmpty ? [] : [inline.joined(separator: " ")]) + others.flatMap(render)
        case .textInput(_, let value, let label, _, _):
            return ["\(label ?? "input"): [\(value)]"]
        case .chip(_, let value):
            return ["(\(value))"]
        case .raw(let json):
            return ["<\(json["type"]?.stringValue ?? "block")>"]
        }
    }

    static func button(_ text: String, enabled: Bool?) -> String {
        enabled == false ? "[\(text) (disabled)]" : "[\(text)]"
    }

    /// The canvas's state footer, the last markdown block (`✅ Updated at …`, `⏳ Updating…`, `❌ …`).
    public static func statusLine(_ canvas: SandboxCanvas) -> String? {
        canvas.blocks.map(CanvasBlock.init(json:)).reversed().lazy.compactMap { block -> String? in
            if case .markdown(_, let value) = block { return value }
            return nil
        }.first
    }
}
