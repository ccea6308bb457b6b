import Foundation

extension ExportedFile {
    /// The export's files with every member that would collide with a document the package writer adds itself
    /// (`EntryDocuments.reservedNames`, as a file or as a folder) moved to a free name beside it: `README.md`
    /// becomes `README.export.md` (then `README.export2.md`…), `entry.json/a.csv` becomes `entry.export.json/a.csv`
    /// (plain characters only, so the key needs no escaping anywhere). Nothing is dropped, so what `entry.json`
    /// and README list is what the package holds, under the name it holds it.
    static func movingReservedNames(
        _ files: [ExportedFile], reserved: Set<String> = EntryDocuments.reservedNames
    ) -> [ExportedFile] {
        var taken = reserved.union(files.map { String($0.path.split(separator: "/", maxSplits: 1)[0]) })
        var moved: [String: String] = [:]
        return files.map { file in
            let parts = file.path.split(separator: "/", maxSplits: 1).map(String.init)
            guard reserved.contains(parts[0]) else { return file }
            let newTop: String
            if let known = moved[parts[0]] {
                newTop = known
            } else {
                newTop = freeName(for: parts[0], taken: taken)
                taken.insert(newTop)
                moved[parts[0]] = newTop
            }
            let path = ([newTop] + parts.dropFirst()).joined(separator: "/")
            return ExportedFile(path: path, localURL: file.localURL, size: file.size)
        }
    }

    private static func freeName(for name: String, taken: Set<String>) -> String {
        let url = URL(fileURLWithPath: name)
        let stem = url.deletingPathExtension().lastPathComponent
        let suffix = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        var number = 1
        while true {
            let candidate = "\(stem).export\(number == 1 ? "" : String(number))\(suffix)"
            if !taken.contains(candidate) { return candidate }
            number += 1
        }
    }
}
