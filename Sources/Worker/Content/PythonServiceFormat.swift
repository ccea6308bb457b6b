import Benchling
import Foundation
import JSONCore

/// Value formats of the Python service (quiltdata/benchling-webhook 0.18) that its users' queries depend on.
enum PythonServiceFormat {
    /// `"Name <handle@id>"`, or nil when the user has no name (then the Python service writes `""` for a creator and
    /// drops an author).
    static func userLabel(_ user: BenchlingUser?) -> String? {
        guard let user, let name = user.name, !name.isEmpty else { return nil }
        return "\(name) <\(user.handle ?? "")@\(user.id)>"
    }

    /// The commit message: `Benchling {type}`, plus ` at {message.timestamp}` when the message has one (Benchling
    /// sends `createdAt`, not `timestamp`, so in practice there is no suffix).
    static func commitMessage(eventType: String, message: JSONValue) -> String {
        var text = "Benchling \(eventType.isEmpty ? "webhook payload" : eventType)"
        if let timestamp = message["timestamp"]?.stringValue, !timestamp.isEmpty { text += " at \(timestamp)" }
        return text
    }

    /// Python's `datetime.isoformat()` of an RFC 3339 timestamp as the Benchling SDK parses it (dateutil
    /// `isoparse`): `Z` becomes `+00:00`, the fraction is cut to microseconds and left out when zero. Text that is
    /// not such a timestamp is returned unchanged.
    static func isoformat(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= scalars.count && range.allSatisfy { ("0"..."9").contains(scalars[$0]) }
        }
        func character(_ index: Int, _ expected: Unicode.Scalar) -> Bool {
            index < scalars.count && scalars[index] == expected
        }
        guard digits(0..<4), character(4, "-"), digits(5..<7), character(7, "-"), digits(8..<10),
            character(10, "T") || character(10, " "), digits(11..<13), character(13, ":"), digits(14..<16),
            character(16, ":"), digits(17..<19)
        else { return text }
        var index = 19
        var fraction = ""
        if character(index, ".") || character(index, ",") {
            index += 1
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                fraction.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard !fraction.isEmpty else { return text }
        }
        let rest = String(String.UnicodeScalarView(scalars[index...]))
        let offset: String
        switch rest {
        case "": offset = ""
        case "Z", "z", "+00:00", "-00:00", "+0000", "-0000", "+00": offset = "+00:00"
        default:
            let sign = rest.unicodeScalars.first!
            let body = rest.dropFirst().replacingOccurrences(of: ":", with: "")
            guard sign == "+" || sign == "-", body.count == 4, body.allSatisfy(\.isASCII), Int(body) != nil else {
                return text
            }
            offset = "\(sign)\(body.prefix(2)):\(body.suffix(2))"
        }
        let base = String(String.UnicodeScalarView(scalars[0..<19])).replacingOccurrences(of: " ", with: "T")
        let micro = String((fraction + "000000").prefix(6))
        return base + (micro == "000000" ? "" : "." + micro) + offset
    }
}
