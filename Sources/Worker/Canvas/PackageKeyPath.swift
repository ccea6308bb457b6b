import JSONCore

/// `PKG_KEY` as the Python service reads it (Athena `'$.{pkg_key}'`): a dotted key is a path into nested
/// metadata, so `sample.experiment` names `user_meta.sample.experiment`.
struct PackageKeyPath: Sendable, Equatable {
    let segments: [String]

    init(_ key: String) {
        segments = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// The value at the path, or nil when a step is missing or not an object.
    func value(in metadata: JSONObject) -> JSONValue? {
        var current = JSONValue.object(metadata)
        for segment in segments {
            guard let next = current[segment] else { return nil }
            current = next
        }
        return current
    }

    /// Whether the metadata holds `value` as a string at the path (what `json_extract_scalar(…) = 'value'` matches).
    func matches(_ metadata: JSONObject?, value: String) -> Bool {
        guard let metadata else { return false }
        return self.value(in: metadata)?.stringValue == value
    }
}
