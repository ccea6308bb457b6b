import Foundation
import JSONCore
import TestSupport

/// Runs scripts/judges/quilt_verify.py: quilt3 browses each package, recomputes the top hash, re-hashes every
/// entry's bytes and re-serialises the manifest. Returns its per-package report.
struct Quilt3Judge {
    struct Request {
        var name: String
        var topHash: String
        var verifyDir: String?
    }

    let environment: TestEnvironment

    func judge(
        registry: String, packages: [Request], credentials: TestEnvironment.Credentials? = nil
    ) throws
        -> [JSONValue]
    {
        let request: JSONValue = [
            "registry": .string(registry),
            "packages": .array(
                packages.map {
                    [
                        "name": .string($0.name), "top_hash": .string($0.topHash),
                        "verify_dir": $0.verifyDir.map(JSONValue.string) ?? .null,
                    ]
                }),
        ]
        let result = try PythonJudge(environment).run(
            "quilt_verify.py", input: request.compactData(),
            env: environment.pythonEnvironment(credentials: credentials))
        guard result.status == 0 else {
            throw JudgeFailure(message: "quilt_verify.py exited \(result.status): \(result.stderr)")
        }
        guard let reports = try JSONValue.parse(result.stdout)["packages"]?.arrayValue else {
            throw JudgeFailure(message: "quilt_verify.py printed no packages: \(result.stdoutText)")
        }
        return reports
    }
}

struct JudgeFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
