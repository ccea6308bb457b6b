import Foundation

/// The percent-encoding SigV4 prescribes (RFC 3986 unreserved characters stay, every other UTF-8 byte becomes `%XX`
/// with upper-case hex). Used both to build canonical requests and to build the URLs we send, so that what is signed
/// is byte-for-byte what goes on the wire.
public enum AWSURIEncoding {
    /// Encodes `string`, keeping `/` when `keepSlash` is true (paths and S3 keys), encoding it otherwise
    /// (query names and values).
    public static func encode(_ string: String, keepSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out.append("%")
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// `application/x-www-form-urlencoded` encoding as the SDKs write query-protocol bodies (Python's
    /// `urlencode`): unreserved characters stay, space becomes `+`, everything else `%XX`.
    public static func formEncode(_ string: String) -> String {
        encode(string).replacingOccurrences(of: "%20", with: "+")
    }

    /// Decodes `%XX` escapes (invalid escapes are kept as they are); `+` is left alone, as AWS does.
    public static func decode(_ string: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count)
        let utf8 = Array(string.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Removes `.` and `..` segments and empty segments (`//`), keeping a leading and a trailing `/`:
    /// the path normalisation SigV4 applies for every service except S3.
    public static func normalizePath(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return leading + segments.joined(separator: "/") + trailing
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
