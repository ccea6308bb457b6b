import Foundation
import JSONCore

/// One container of an ECS task definition in ops/template.yaml, resolved by `scripts/testenv.py
/// task-definitions` (the same PyYAML reading of the template that gives the test users their policies).
public struct TemplateContainer: Sendable {
    public let name: String
    public let taskDefinition: String
    /// `Environment`, exactly as the task would get it.
    public let environment: [String: String]
    /// `Command` (the image's arguments); empty when the image's default is used.
    public let command: [String]
    /// `MountPoints[].ContainerPath`.
    public let mountPaths: [String]
    public let containerPorts: [Int]
    /// `HealthCheck.Command` (e.g. `["CMD-SHELL", "curl …"]`); empty when there is none.
    public let healthCheck: [String]
}

public enum TemplateTaskDefinitions {
    /// Every container of every task definition, with `substitutions` standing in for the template's parameters
    /// and resources (`"Queue"`, `"AWS::StackName"`, `"Resource.Attribute"`…). A reference the test does not
    /// substitute fails here, naming it.
    public static func load(
        _ environment: TestEnvironment, substitutions: [String: String]
    ) throws -> [String: TemplateContainer] {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("template-substitutions-\(UUID().uuidString).json")
        try JSONValue.object(JSONObject(substitutions.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
            .compactData().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try PythonJudge(environment).run(
            "../testenv.py", arguments: ["task-definitions", file.path])
        guard result.status == 0 else {
            throw TemplateError("scripts/testenv.py task-definitions failed (\(result.status)): \(result.stderr)")
        }
        let json = try JSONValue.parse(result.stdoutText)
        var containers: [String: TemplateContainer] = [:]
        for (name, value) in json.objectValue ?? [:] {
            var environment: [String: String] = [:]
            for (key, item) in value["Environment"]?.objectValue ?? [:] {
                guard let text = item.stringValue else {
                    throw TemplateError("\(name): environment variable \(key) is not a string in the template")
                }
                environment[key] = text
            }
            containers[name] = TemplateContainer(
                name: name, taskDefinition: value["TaskDefinition"]?.stringValue ?? "",
                environment: environment,
                command: value["Command"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                mountPaths: value["MountPoints"]?.arrayValue?.compactMap { $0["ContainerPath"]?.stringValue } ?? [],
                containerPorts: value["PortMappings"]?.arrayValue?.compactMap { $0["ContainerPort"]?.intValue } ?? [],
                healthCheck: value["HealthCheck"]?["Command"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        return containers
    }
}

public struct TemplateError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
