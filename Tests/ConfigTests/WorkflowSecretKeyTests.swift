import JSONCore
import Testing

@testable import Config

/// `PKG_WORKFLOW` (or the Python service's `workflow`): absent means the bucket's default workflow, "" means none,
/// anything else must be a workflow id a config could hold.
@Suite("PKG_WORKFLOW secret key", .timeLimit(.minutes(1)))
struct WorkflowSecretKeyTests {
    let validator = SecretValidator(secretName: "bq-secret")
    static let base: JSONObject = [
        "CLIENT_ID": "id", "CLIENT_SECRET": "secret", "TENANT": "acme", "APP_DEFINITION_ID": "appdef_1",
        "USER_BUCKET": "my-bucket",
    ]

    func workflow(_ key: String?, _ value: JSONValue) throws -> String? {
        var object = Self.base
        if let key { object[key] = value }
        return try validator.validate(object: object).parameters.pkgWorkflow
    }

    @Test func absentEmptyAndNamed() throws {
        #expect(try workflow(nil, .null) == nil)
        #expect(try workflow("PKG_WORKFLOW", .null) == nil)
        #expect(try workflow("PKG_WORKFLOW", "") == "")
        #expect(try workflow("PKG_WORKFLOW", "  ") == "")
        #expect(try workflow("PKG_WORKFLOW", "benchling-entry_2") == "benchling-entry_2")
        #expect(try workflow("workflow", "benchling") == "benchling", "the Python service's spelling")
        #expect(try validator.validate(object: Self.base.merging(["workflow": "x"])).unknownKeys.isEmpty)
    }

    @Test(arguments: [
        JSONValue.string("2fast"), "has space", "a/b", .int(1), .bool(true), .string(String(repeating: "a", count: 65)),
    ])
    func refusedValues(_ value: JSONValue) {
        var object = Self.base
        object["PKG_WORKFLOW"] = value
        do {
            let result = try validator.validate(object: object)
            Issue.record("accepted \(value) as \(String(describing: result.parameters.pkgWorkflow))")
        } catch {
            #expect(error.messages.contains { $0.hasPrefix("PKG_WORKFLOW: expected") }, "\(error.messages)")
        }
    }

    @Test func summaryShowsTheChoice() {
        func line(_ value: String?) -> String? {
            let configuration = Configuration(
                stackARN: nil, catalogHost: nil,
                parameters: SecretParameters(
                    clientId: "id", clientSecret: "secret", tenant: "acme", appDefinitionId: "appdef_1",
                    userBucket: .s3(bucket: "b"), pkgWorkflow: value),
                secretSource: "test")
            return ConfigurationSummary(configuration).settings.first { $0.name == "PKG_WORKFLOW" }?.value
        }
        #expect(line(nil) == "(not set: the bucket's default workflow)")
        #expect(line("") == "\"\" (no workflow)")
        #expect(line("benchling") == "benchling")
    }
}

extension JSONObject {
    fileprivate func merging(_ other: JSONObject) -> JSONObject {
        var copy = self
        for (key, value) in other { copy[key] = value }
        return copy
    }
}
