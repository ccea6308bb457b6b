import Foundation
import JSONCore

/// The 11-key Benchling secret the receiver's configuration resolver reads, with the sandbox's app.
struct SecretDocument {
    var values: [(String, JSONValue)]

    init(
        appDefinitionId: String, allowList: String = "", verification: Bool = true, logLevel: String = "INFO",
        userBucket: String
    ) {
        values = [
            ("CLIENT_ID", "sandbox-client"), ("CLIENT_SECRET", "sandbox-secret"), ("TENANT", "sandbox"),
            ("APP_DEFINITION_ID", .string(appDefinitionId)), ("ECR_REPOSITORY_NAME", "quiltdata/benchling"),
            ("ENABLE_WEBHOOK_VERIFICATION", .bool(verification)), ("LOG_LEVEL", .string(logLevel)),
            ("PKG_PREFIX", "benchling"), ("PKG_KEY", "experiment_id"), ("USER_BUCKET", .string(userBucket)),
            ("WEBHOOK_ALLOW_LIST", .string(allowList)),
        ]
    }

    subscript(key: String) -> JSONValue? {
        get { values.first { $0.0 == key }?.1 }
        set {
            values.removeAll { $0.0 == key }
            if let newValue { values.append((key, newValue)) }
        }
    }

    var text: String { JSONValue.object(JSONObject(values)).compactString() }
}
