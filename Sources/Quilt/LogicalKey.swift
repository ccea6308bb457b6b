/// Rules and ordering for logical keys (the paths users see inside a package).
public enum LogicalKey {
    /// Rejects keys quilt3 could not represent as a tree: empty, leading/trailing or doubled `/`, `.`/`..` segments.
    public static func validate(_ key: String) throws(QuiltError) {
        if key.isEmpty { throw .invalidLogicalKey(key, reason: "empty") }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { throw .invalidLogicalKey(key, reason: "empty path segment") }
            if segment == "." || segment == ".." { throw .invalidLogicalKey(key, reason: "'.' or '..' segment") }
        }
        if key.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw .invalidLogicalKey(key, reason: "NUL character")
        }
    }

    /// quilt3's walk order: keys compared by their lists of `/`-separated segments, each segment by code point.
    /// So `a/x.txt` precedes `a-b/y.txt` although `-` < `/` in plain string order.
    public static func walkOrderPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false).makeIterator()
        var right = rhs.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false).makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let a?, let b?):
                if a.elementsEqual(b) { continue }
                return a.lexicographicallyPrecedes(b)
            }
        }
    }

    /// A key whose plain lexicographic order is the walk order: code points, with `/` mapped below every
    /// character (keys hold no NUL), so a shorter segment sorts first exactly as in a segment-by-segment compare.
    static func walkSortKey(_ key: String) -> [UInt32] {
        key.unicodeScalars.map { $0 == "/" ? 0 : $0.value }
    }

    /// Throws when two keys collide, including a key that is also used as a folder (`a` and `a/b`).
    static func checkUnique(_ sortedKeys: [String]) throws(QuiltError) {
        var seen = Set<String>()
        for key in sortedKeys {
            if !seen.insert(key).inserted { throw .duplicateLogicalKey(key) }
        }
        var folders = Set<String>()
        for key in sortedKeys {
            var path = ""
            let segments = key.split(separator: "/")
            for segment in segments.dropLast() {
                path += path.isEmpty ? String(segment) : "/" + segment
                folders.insert(path)
            }
        }
        for key in sortedKeys where folders.contains(key) { throw .duplicateLogicalKey(key) }
    }
}
