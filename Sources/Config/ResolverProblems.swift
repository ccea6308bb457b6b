/// The resolver's problems about inputs and AWS answers, worded in one place so they stay consistent.
enum ResolverProblems {
    static let stackKey = ConfigurationInputs.stackVariable
    static let secretKey = ConfigurationInputs.secretVariable

    static func missingSecretInput() -> ConfigurationProblem {
        ConfigurationProblem(
            key: secretKey, kind: .missingInput,
            what: "not set (neither \(secretKey) nor \(ConfigurationInputs.secretVariableAlias) is in the environment)",
            fix: "set \(secretKey) to the name or ARN of the Secrets Manager secret holding the Benchling settings, "
                + "or to file:///absolute/path/secret.json")
    }

    static func missingStackInput() -> ConfigurationProblem {
        ConfigurationProblem(
            key: stackKey, kind: .missingInput,
            what: "not set (neither \(stackKey) nor \(ConfigurationInputs.stackVariableAlias) is in the environment)",
            fix: "set \(stackKey) to the ARN of the Quilt CloudFormation stack (\(StackARN.expectedForm)); "
                + "it may be omitted only when USER_BUCKET is a file:/// local registry")
    }

    static func malformedStackARN(_ text: String) -> ConfigurationProblem {
        ConfigurationProblem(
            key: stackKey, kind: .malformedInput,
            what: "expected \(StackARN.expectedForm), got \(ConfigurationProblem.quoted(text))",
            fix: "copy the stack ARN from the CloudFormation console (Stack info → Stack ID)")
    }

    static func missingRegion() -> ConfigurationProblem {
        ConfigurationProblem(
            key: "AWS_REGION", kind: .missingInput,
            what: "not set, and there is no stack ARN or secret ARN to take the region from",
            fix: "set AWS_REGION, or give \(stackKey) / \(secretKey) as ARNs")
    }

    static func badAthenaLookup(_ value: String) -> ConfigurationProblem {
        ConfigurationProblem(
            key: "ATHENA_LOOKUP", kind: .malformedInput,
            what: "expected on or off, got \(ConfigurationProblem.quoted(value))",
            fix: "set ATHENA_LOOKUP=off when the deployment grants no Athena access, else leave it unset")
    }

    static func badOverride(name: String, value: String) -> ConfigurationProblem {
        ConfigurationProblem(
            key: name, kind: .malformedInput,
            what: "expected an http(s) URL, got \(ConfigurationProblem.quoted(value))",
            fix: "unset \(name) (production needs no override) or give a full http(s) URL")
    }

    static func secretFailure(_ failure: SourceFailure, reference: String, region: String?) -> ConfigurationProblem {
        let isFile = reference.hasPrefix("file:")
        let place = isFile ? "" : " in region \(region ?? "?")"
        switch failure {
        case .notFound(let detail):
            return ConfigurationProblem(
                key: secretKey, kind: .notFound,
                what: isFile
                    ? "secret file \(reference) not found (\(detail))" : "secret \(reference) not found\(place)",
                fix: isFile
                    ? "create the file, or point \(secretKey) at an existing file:///absolute/path/secret.json"
                    : "check \(secretKey) (name or ARN) and the region, or create the secret")
        case .accessDenied(let action, let detail):
            return ConfigurationProblem(
                key: secretKey, kind: .accessDenied,
                what: "access denied: \(action) on secret \(reference)\(place)\(detail.isEmpty ? "" : " (\(detail))")",
                fix: isFile
                    ? "make the file readable by the service's user"
                    : "allow \(action) on the secret in the task role's policy (and kms:Decrypt if it uses a customer key)"
            )
        case .credentialsRejected(let detail):
            return credentialsRejected(key: secretKey, detail: detail)
        case .unusable(let detail):
            return ConfigurationProblem(
                key: secretKey, kind: .invalidSecret, what: "secret \(reference) cannot be used: \(detail)",
                fix: "store the settings as a JSON object in the secret's SecretString")
        case .unavailable(let detail):
            return ConfigurationProblem(
                key: secretKey, kind: .unavailable,
                what: "could not read secret \(reference)\(place): \(detail)",
                fix: isFile
                    ? "check the file"
                    : "check network access to Secrets Manager (AWS_ENDPOINT_URL, VPC endpoints, credentials); retrying may help"
            )
        }
    }

    static func stackFailure(_ failure: SourceFailure, stack: StackARN) -> ConfigurationProblem {
        let name = "\(stack.stackName) (account \(stack.account), region \(stack.region))"
        switch failure {
        case .notFound(let detail):
            return ConfigurationProblem(
                key: stackKey, kind: .notFound,
                what: "stack \(name) not found\(detail.isEmpty ? "" : ": \(detail)")",
                fix: "check \(stackKey); it must name an existing Quilt stack, including its current stack id")
        case .accessDenied(let action, let detail):
            return ConfigurationProblem(
                key: stackKey, kind: .accessDenied,
                what: "access denied: \(action) on stack \(name)\(detail.isEmpty ? "" : " (\(detail))")",
                fix: "allow \(action) on the stack in the task role's policy")
        case .credentialsRejected(let detail):
            return credentialsRejected(key: stackKey, detail: detail)
        case .unusable(let detail):
            return ConfigurationProblem(
                key: stackKey, kind: .notFound, what: "stack \(name) cannot be used: \(detail)",
                fix: "check \(stackKey)")
        case .unavailable(let detail):
            return ConfigurationProblem(
                key: stackKey, kind: .unavailable,
                what: "could not describe stack \(name): \(detail)",
                fix:
                    "check network access to CloudFormation (AWS_ENDPOINT_URL, VPC endpoints, credentials); retrying may help"
            )
        }
    }

    static func credentialsRejected(key: String, detail: String) -> ConfigurationProblem {
        ConfigurationProblem(
            key: key, kind: .accessDenied, what: "AWS credentials rejected (\(detail))",
            fix:
                "check the AWS credentials in use (task role, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and the clock"
        )
    }
}
