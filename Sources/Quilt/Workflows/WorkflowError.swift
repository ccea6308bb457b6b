/// Why a package may not be published under the registry's Quilt workflows config. All are permanent: the same
/// package, config and schemas fail the same way on every retry.
public enum WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `.quilt/workflows/config.yml` is not YAML we read, not a valid config, or of an unsupported version.
    case invalidConfig(String)
    /// A workflow was asked for (`PKG_WORKFLOW`) but the registry has no workflows config.
    case noConfig(requested: String)
    /// The config requires a workflow and none was chosen.
    case workflowRequired
    case unknownWorkflow(String)
    /// A schema named by the workflow cannot be loaded or used.
    case unusableSchema(id: String, reason: String)
    /// The package breaks one of the workflow's rules.
    case validationFailed(workflow: String?, rule: String)

    public var description: String {
        switch self {
        case .invalidConfig(let why): "the bucket's Quilt workflows config cannot be used: \(why)"
        case .noConfig(let requested):
            "PKG_WORKFLOW names workflow \(requested.isEmpty ? "\"\" (none)" : "'\(requested)'"), but the bucket has no .quilt/workflows/config.yml"
        case .workflowRequired:
            "the bucket's Quilt workflows config requires a workflow, but none was chosen (the config has no default_workflow, or PKG_WORKFLOW is \"\")"
        case .unknownWorkflow(let id): "there is no workflow '\(id)' in the bucket's Quilt workflows config"
        case .unusableSchema(let id, let reason):
            "schema '\(id)' of the Quilt workflows config cannot be used: \(reason)"
        case .validationFailed(let workflow, let rule):
            "the package does not pass Quilt workflow \(workflow.map { "'\($0)'" } ?? "(none)"): \(rule)"
        }
    }
}
