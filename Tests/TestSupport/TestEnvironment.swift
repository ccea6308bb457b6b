import Foundation

/// The loopback stand-ins a test run talks to, as `scripts/testenv up` wrote them to `.testenv/env.json`.
///
/// Tests read this instead of inventing endpoints or keys, so every AWS call in the suite goes to the
/// same moto server, with signatures and IAM policies (the ops template's own) enforced.
public struct TestEnvironment: Sendable {
    public struct Credentials: Sendable, Decodable {
        public let accessKeyId: String
        public let secretAccessKey: String
    }

    public let awsEndpoint: String
    public let region: String
    public let accountId: String
    /// The virtual environment's Python: it has quilt3, jsonschema, PyYAML and botocore.
    public let python: String
    public let admin: Credentials
    public let receiver: Credentials
    public let worker: Credentials
    /// A user with no permissions at all.
    public let restricted: Credentials
    public let repoRoot: URL

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case unreadable(String, String)

        public var description: String {
            switch self {
            case .missing(let path):
                return
                    "no test environment at \(path): run the tests with scripts/test, or start the stand-ins once with `scripts/testenv up`"
            case .unreadable(let path, let why):
                return "test environment at \(path) is unreadable: \(why)"
            }
        }
    }

    private struct File: Decodable {
        let awsEndpoint: String
        let region: String
        let accountId: String
        let python: String
        let credentials: [String: Credentials]
    }

    /// The package's root folder (the one holding Package.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Reads `$BQ_TEST_ENV`, else `.testenv/env.json` under the package root.
    public static func load() throws -> TestEnvironment {
        let path =
            ProcessInfo.processInfo.environment["BQ_TEST_ENV"]
            ?? packageRoot.appendingPathComponent(".testenv/env.json").path
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.missing(path) }
        do {
            let file = try JSONDecoder().decode(File.self, from: data)
            func user(_ name: String) throws -> Credentials {
                guard let credentials = file.credentials[name] else {
                    throw LoadError.unreadable(path, "no credentials for \(name)")
                }
                return credentials
            }
            return TestEnvironment(
                awsEndpoint: file.awsEndpoint, region: file.region, accountId: file.accountId,
                python: file.python, admin: try user("admin"), receiver: try user("receiver"),
                worker: try user("worker"), restricted: try user("restricted"), repoRoot: packageRoot
            )
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError.unreadable(path, String(describing: error))
        }
    }

    /// A fresh resource name the component policies cover: `bq-test-<prefix>-<random>`, lower case.
    public func uniqueName(_ prefix: String) -> String {
        Self.uniqueName(prefix)
    }

    public static func uniqueName(_ prefix: String) -> String {
        let random = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        return "bq-test-\(prefix.lowercased())-\(random)"
    }

    /// `../shared/vectors/<name>` beside the package, when this checkout has it (CI and developers do;
    /// a user's fresh clone does not).
    public static func sharedVectors(_ name: String) -> URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/\(name)")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Environment for a Python judge (quilt3, botocore) pointed at moto with the given credentials.
    public func pythonEnvironment(credentials: Credentials? = nil) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        let credentials = credentials ?? admin
        env["AWS_ENDPOINT_URL"] = awsEndpoint
        env["AWS_ACCESS_KEY_ID"] = credentials.accessKeyId
        env["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
        env["AWS_DEFAULT_REGION"] = region
        env["AWS_REGION"] = region
        env.removeValue(forKey: "AWS_SESSION_TOKEN")
        env["QUILT_DISABLE_USAGE_METRICS"] = "true"
        env["QUILT_DISABLE_CACHE"] = "true"
        return env
    }
}
