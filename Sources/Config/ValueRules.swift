import Foundation

/// The syntactic rules secret values must meet. Each returns the normalised value, or what was wrong
/// phrased to follow "expected …" in a problem message.
enum ValueRules {
    /// Accepts `acme`, `acme.benchling.com`, `https://acme.benchling.com/` (any case) and returns `acme`.
    static func tenant(_ raw: String) -> String? {
        var text = raw.trimmingBlanks().lowercased()[...]
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) {
            text = text.dropFirst(scheme.count)
        }
        while text.hasSuffix("/") { text = text.dropLast() }
        if text.hasSuffix(".benchling.com") { text = text.dropLast(".benchling.com".count) }
        guard isDNSLabel(text) else { return nil }
        return String(text)
    }

    /// Benchling app definition ids (`appdef_…`) go into a URL path: letters, digits, `_` and `-` only.
    static func isAppDefinitionId(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 128 && text.utf8.allSatisfy(isWordByteOrHyphen)
    }

    /// Quilt package name parts and metadata keys: ASCII word characters and `-`.
    static func isPackageNamePart(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isWordByteOrHyphen)
    }

    /// Workflow ids as quilt3's workflows config schema allows them: `^[A-Za-z_-][A-Za-z0-9_-]*$`, ≤ 64 chars.
    static func isWorkflowId(_ text: String) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 64, !(0x30...0x39).contains(first) else { return false }
        return text.utf8.allSatisfy(isWordByteOrHyphen)
    }

    /// Amazon ECR repository names: lower-case components separated by `.`, `_`, `-` or `/`, 2–256 chars.
    static func isECRRepositoryName(_ text: String) -> Bool {
        guard (2...256).contains(text.count) else { return false }
        return text.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { path in
            guard let first = path.first, let last = path.last, isLowerAlnum(first), isLowerAlnum(last) else {
                return false
            }
            var previousSeparator = false
            for character in path {
                let separator = character == "." || character == "_" || character == "-"
                guard separator || isLowerAlnum(character) else { return false }
                // `__` is allowed by ECR; other doubled separators are not.
                if separator && previousSeparator && character != "_" { return false }
                previousSeparator = separator
            }
            return true
        }
    }

    /// Amazon S3 general purpose bucket naming rules. Returns nil when valid, else which rule is broken.
    static func bucketNameViolation(_ name: String) -> String? {
        guard (3...63).contains(name.count) else { return "3 to 63 characters" }
        guard name.allSatisfy({ isLowerAlnum($0) || $0 == "." || $0 == "-" }) else {
            return "only lower-case letters, digits, '.' and '-'"
        }
        guard let first = name.first, let last = name.last, isLowerAlnum(first), isLowerAlnum(last) else {
            return "to begin and end with a letter or digit"
        }
        if name.contains("..") { return "no two adjacent periods" }
        if IPAddress.parseIPv4(Array(name.utf8)[...]) != nil { return "not an IP address" }
        for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] where name.hasPrefix(prefix) {
            return "not to begin with \"\(prefix)\""
        }
        for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] where name.hasSuffix(suffix) {
            return "not to end with \"\(suffix)\""
        }
        return nil
    }

    /// `file:///abs/path` → `/abs/path` (percent-decoded, trailing slash removed); nil when not of that form.
    static func localRegistryPath(_ text: String) -> String? {
        guard text.hasPrefix("file://"), let url = URL(string: text), url.scheme == "file",
            url.host == nil || url.host == "" || url.host == "localhost", url.query == nil, url.fragment == nil
        else { return nil }
        var path = url.path
        guard path.hasPrefix("/") else { return nil }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    // MARK: - Characters

    private static func isDNSLabel(_ text: Substring) -> Bool {
        guard (1...63).contains(text.count), let first = text.first, let last = text.last,
            isLowerAlnum(first), isLowerAlnum(last)
        else { return false }
        return text.allSatisfy { isLowerAlnum($0) || $0 == "-" }
    }

    private static func isLowerAlnum(_ character: Character) -> Bool {
        character.isASCII && (character.isLowercase || character.isNumber)
    }

    private static func isWordByteOrHyphen(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
