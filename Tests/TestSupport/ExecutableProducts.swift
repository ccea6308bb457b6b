import Foundation

/// Where `swift build` put the executables: beside the test bundle (`BQ_BIN_DIR` overrides).
public enum ExecutableProducts {
    public static func directory() throws -> URL {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["BQ_BIN_DIR"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        var bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while bundle.pathComponents.count > 1 && bundle.lastPathComponent != "debug"
            && bundle.lastPathComponent != "release"
        {
            bundle.deleteLastPathComponent()
        }
        candidates.append(bundle)
        candidates.append(TestEnvironment.packageRoot.appendingPathComponent(".build/debug"))
        for candidate in candidates
        where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("worker").path)
            && FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("receiver").path)
        {
            return candidate
        }
        throw TemplateError(
            "no receiver and worker executables in \(candidates.map(\.path)): run `swift build --build-tests` first")
    }
}
