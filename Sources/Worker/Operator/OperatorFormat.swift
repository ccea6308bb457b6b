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
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if line.count > limit { return String(line.prefix(max(0, limit - 1))) + "…" }
        return line.count < text.count ? line + "…" : line
    }

    /// Columns padded to their widest cell, two spaces apart; the last column is not padded.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
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
