import Foundation

/// Test vectors generated for this project (copied from the shared vectors into the repo so that the
/// suite also runs on a machine without them).
public enum Fixtures {
    public static func url(_ name: String) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            fatalError("fixture \(name) is not bundled in TestSupport/Fixtures")
        }
        return url
    }

    public static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }
}
