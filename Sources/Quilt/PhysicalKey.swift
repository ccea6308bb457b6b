/// Builds the `physical_keys` URLs of manifest entries exactly as quilt3 does.
public enum PhysicalKey {
    /// `s3://bucket/key` with the key percent-encoded like Python's `urllib.parse.quote("/" + key)`,
    /// plus `?versionId=` for versioned buckets (`"null"` — what S3 says for unversioned — counts as none).
    public static func s3(bucket: String, key: String, versionId: String? = nil) -> String {
        var url = "s3://" + bucket + quote("/" + key)
        if let versionId, !versionId.isEmpty, versionId != "null" {
            url += "?versionId=" + quote(versionId, safe: "")
        }
        return url
    }

    /// `file:///abs/path`, percent-encoded the same way (quilt3 uses `pathname2url`, i.e. `quote`).
    public static func file(path: String) -> String {
        precondition(path.hasPrefix("/"), "local physical keys need an absolute path")
        return "file://" + quote(path)
    }

    /// Python's `urllib.parse.quote(text, safe=safe)`: keeps `A–Z a–z 0–9 _ . - ~` and the `safe` characters,
    /// encodes every other UTF-8 byte as `%XX` (uppercase hex).
    public static func quote(_ text: String, safe: String = "/") -> String {
        let safeBytes = Set(safe.utf8)
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                if safeBytes.contains(byte) {
                    out.append(byte)
                } else {
                    out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` sequences (for reading `file://` physical keys back into paths).
    public static func unquote(_ text: String) -> String {
        var out = [UInt8]()
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
