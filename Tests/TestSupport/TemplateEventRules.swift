import Foundation
import JSONCore

/// The EventBridge rules of ops/template.yaml, resolved by `scripts/testenv.py event-rules` with the test's
/// stand-ins, so a test routes events on moto exactly as the deployed rule does.
public enum TemplateEventRules {
    /// Rule resource name → its `EventPattern` (as JSON).
    public static func load(
        _ environment: TestEnvironment, substitutions: [String: String]
    ) throws -> [String: JSONValue] {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("template-rule-substitutions-\(UUID().uuidString).json")
        try JSONValue.object(JSONObject(substitutions.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
            .compactData().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try PythonJudge(environment).run("../testenv.py", arguments: ["event-rules", file.path])
        guard result.status == 0 else {
            throw TemplateError("scripts/testenv.py event-rules failed (\(result.status)): \(result.stderr)")
        }
        var rules: [String: JSONValue] = [:]
        for (name, value) in try JSONValue.parse(result.stdoutText).objectValue ?? [:] {
            guard let pattern = value["EventPattern"] else { throw TemplateError("\(name): no EventPattern") }
            rules[name] = pattern
        }
        return rules
    }
}
