import Foundation

/// Small formatting rules shared by the operator commands, so every command prints times and lengths alike.
enum OperatorFormat {
    /// ISO 8601 UTC with milliseconds (`2024-05-01T12:34:56.789Z`): the form every JSON field uses.
    static func iso(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    /// A compact age for tables: `42s`, `5m`, `3h`, `12d`.
    static func age(from date: Date, to now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3_600: return "\(seconds / 60)m"
        case ..<86_400: return "\(seconds / 3_600)h"
        default: return "\(seconds / 86_400)d"
        }
    }

    /// A milliseconds figure for step timings.
    static func milliseconds(from start: Date, to end: Date?) -> String {
        guard let end else { return "running" }
        let ms = Int((end.timeIntervalSince(start) * 1000).rounded())
        return ms < 10_000 ? "\(ms) ms" : String(format: "%.1f s", Double(ms) / 1000)
    }

    /// The first line of `text`, at most `limit` characters (with an ellipsis when cut).
    static func truncated(_ text: String, _ limit: Int) -> String {
        let line =
            text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if line.count > limit { return String(line.prefix(max(0, limit - 1))) + "…" }
        return line.count < text.count ? line + "…" : line
    }

    /// `text` safe to show on a terminal: control characters (ESC, CR, BEL, C1 controls such as CSI, DEL; and
    /// newlines unless `keepNewlines`) and the invisible bidirectional and zero-width format characters become
    /// visible `\uXXXX` escapes. Job logs and queue messages hold text from webhooks and Benchling (display
    /// ids, error messages), which must not move the cursor, retitle the window or hide what follows.
    ///
    /// The escape is JSON's own, and JSON text never holds these characters raw outside strings, so applying
    /// this to JSON output leaves it valid and its values unchanged.
    static func printable(_ text: String, keepNewlines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepNewlines: keepNewlines) }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepNewlines: keepNewlines) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result.append(
                    contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: return !keepNewlines
        case 0x00..<0x20, 0x7F..<0xA0: return true
        case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// Columns padded to their widest cell, two spaces apart; the last column is not padded. Cells are made
    /// printable on one line (see `printable`), so a value cannot break the table or drive the terminal.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = ([header] + rows).map { $0.map { printable($0, keepNewlines: false) } }
        var widths = Array(repeating: 0, count: header.count)
        for row in all { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        var text = ""
        for row in all {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            while line.last == " " { line.removeLast() }
            text += line + "\n"
        }
        return text
    }
}

/// A length of time typed on the command line: `90s`, `30m`, `24h`, `7d`, `2w`.
public struct RelativeDuration: Sendable, Equatable {
    public let seconds: Int

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let count = Int(trimmed.dropLast()), count >= 0 else { return nil }
        let scale: Int
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3_600
        case "d": scale = 86_400
        case "w": scale = 604_800
        default: return nil
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        seconds = product
    }

    /// The moment this long before `now`.
    public func before(_ now: Date) -> Date { now.addingTimeInterval(-Double(seconds)) }
}
