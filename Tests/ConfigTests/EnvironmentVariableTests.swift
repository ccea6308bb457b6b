import Config
import Foundation
import TestSupport
import Testing

/// `EnvironmentVariable.all` (the one list of variables the code reads) against ops/template.yaml's task
/// definitions and against the sources: a variable read but not set by the template fails here, not in a
/// customer's account.
@Suite("Environment variables", .timeLimit(.minutes(3)))
struct EnvironmentVariableTests {
    /// Every parameter and resource the task definitions refer to, as placeholders.
    static let placeholders = [
        "Queue": "https://sqs.example/queue.fifo", "DeadLetterQueue": "https://sqs.example/dlq.fifo",
        "PackageEventQueue": "https://sqs.example/package-events",
        "QuiltStackARN": "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt/1",
        "BenchlingSecretARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:bq", "VpcCidr": "10.0.0.0/16",
        "AWS::StackName": "bq-test-env", "AthenaResultsBucket": "", "QuiltAthenaDatabase": "",
    ]

    @Test("the template sets every variable a component needs, no development override, nothing unlisted")
    func templateSetsWhatTheCodeReads() throws {
        let containers = try TemplateTaskDefinitions.load(try TestEnvironment.load(), substitutions: Self.placeholders)
        #expect(Set(containers.keys) == Set(EnvironmentVariable.Component.allCases.map(\.rawValue)))
        for component in EnvironmentVariable.Component.allCases {
            let container = try #require(containers[component.rawValue])
            let set = Set(container.environment.keys)
            let required = EnvironmentVariable.all.filter { $0.source == .template && $0.readers.contains(component) }
            for variable in required {
                #expect(set.contains(variable.name), "\(container.taskDefinition) does not set \(variable.name)")
            }
            for name in set.sorted() {
                let variable = EnvironmentVariable.named(name)
                #expect(
                    variable != nil,
                    "\(container.taskDefinition) sets \(name), which EnvironmentVariable.all does not list")
                #expect(
                    variable?.readers.contains(component) != false,
                    "\(name) is set for \(component), which does not read it")
                #expect(
                    variable?.source != .development,
                    "\(container.taskDefinition) sets the development override \(name)")
                #expect(
                    variable?.source != .platform, "\(container.taskDefinition) sets \(name), which the platform sets")
            }
        }
    }

    @Test("every variable the sources read is in the list")
    func sourcesReadOnlyListedVariables() throws {
        let read = try Self.variablesReadBySources()
        #expect(read.count > 20, "the scan found too little to be trusted: \(read.sorted())")
        let listed = Set(EnvironmentVariable.all.map(\.name))
        #expect(
            read.subtracting(listed).isEmpty,
            "read but not in EnvironmentVariable.all: \(read.subtracting(listed).sorted())")
        #expect(EnvironmentVariable.all.count == listed.count, "a variable is listed twice")
    }

    /// Names in `environment["X"]`, `variables["X"]`, `text("X")`, `integer("X")`, `read("X")`,
    /// `for name in ["X", …]` and `…Variable… = "X"` in the deployed modules (the dev stack and sandbox excluded).
    static func variablesReadBySources() throws -> Set<String> {
        let sources = TestEnvironment.packageRoot.appendingPathComponent("Sources")
        let excluded = ["DevStack", "DevCommand", "BenchlingSandbox", "ReceiverBench"]
        let patterns = try [
            #"(?:environment|variables)\[\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\]"#,
            #"\b(?:text|integer|read)\(\s*"([A-Za-z_][A-Za-z0-9_]*)""#,
            #"Variable\w*\s*=\s*"([A-Za-z_][A-Za-z0-9_]*)""#,
        ].map { try NSRegularExpression(pattern: $0) }
        let loops = try NSRegularExpression(pattern: #"for name in \[([^\]]*)\]"#)
        let quoted = try NSRegularExpression(pattern: #""([A-Za-z_][A-Za-z0-9_]*)""#)
        var names = Set<String>()
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift",
                !excluded.contains(where: { file.path.contains("/Sources/\($0)/") })
            else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            func captured(_ match: NSTextCheckingResult, in text: String) -> String? {
                Range(match.range(at: 1), in: text).map { String(text[$0]) }
            }
            for pattern in patterns {
                for match in pattern.matches(in: text, range: range) {
                    if let name = captured(match, in: text) { names.insert(name) }
                }
            }
            for loop in loops.matches(in: text, range: range) {
                guard let list = captured(loop, in: text) else { continue }
                for match in quoted.matches(in: list, range: NSRange(list.startIndex..., in: list)) {
                    if let name = captured(match, in: list) { names.insert(name) }
                }
            }
        }
        return names
    }
}
