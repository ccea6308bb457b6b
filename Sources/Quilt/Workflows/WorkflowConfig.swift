import JSONCore

/// A registry's `.quilt/workflows/config.yml`, read and checked as quilt3's `WorkflowConfig.load` does.
public struct WorkflowConfig: Sendable {
    public struct Workflow: Sendable, Hashable {
        public var name: String
        public var handlePattern: String?
        public var metadataSchema: String?
        public var entriesSchema: String?
        public var isMessageRequired: Bool
    }

    /// Where the config was read, with the version S3 answered: the header's `workflow.config`.
    public let location: ObjectLocation
    public let isWorkflowRequired: Bool
    public let defaultWorkflow: String?
    public let workflows: [String: Workflow]
    /// Schema URLs by schema id.
    public let schemaURLs: [String: String]

    /// The newest config version quilt3 reads.
    static let supportedVersion = [1, 1, 0]

    public init(yaml: some Collection<UInt8>, location: ObjectLocation) throws(WorkflowError) {
        let value: JSONValue
        do {
            value = try YAMLSubsetParser.parse(yaml)
        } catch {
            throw .invalidConfig("not YAML this service reads (\(error))")
        }
        do {
            try WorkflowConfigSchema.schema.validate(value)
        } catch {
            throw .invalidConfig("failed validation \(error)")
        }
        let version = value["version"]?.stringValue ?? value["version"]?["base"]?.stringValue ?? ""
        let parts = version.split(separator: ".").map { Int($0) ?? Int.max }
        let padded = (parts + [0, 0, 0]).prefix(3)
        guard !Self.supportedVersion.lexicographicallyPrecedes(padded) else {
            throw .invalidConfig(
                "version '\(padded.map(String.init).joined(separator: "."))' is not supported (at most 1.1.0)")
        }
        self.location = location
        isWorkflowRequired =
            value["is_workflow_required"].flatMap { if case .bool(let flag) = $0 { flag } else { nil } } ?? true
        defaultWorkflow = value["default_workflow"]?.stringValue
        var workflows: [String: Workflow] = [:]
        for (id, entry) in value["workflows"]?.objectValue ?? [:] {
            workflows[id] = Workflow(
                name: entry["name"]?.stringValue ?? id, handlePattern: entry["handle_pattern"]?.stringValue,
                metadataSchema: entry["metadata_schema"]?.stringValue,
                entriesSchema: entry["entries_schema"]?.stringValue,
                isMessageRequired: entry["is_message_required"] == .bool(true))
        }
        self.workflows = workflows
        var schemaURLs: [String: String] = [:]
        for (id, entry) in value["schemas"]?.objectValue ?? [:] {
            if let url = entry["url"]?.stringValue { schemaURLs[id] = url }
        }
        self.schemaURLs = schemaURLs
    }

    /// The workflow to use and its id (nil: none), as quilt3's `get_workflow_validator` chooses it.
    public func choose(_ request: WorkflowRequest) throws(WorkflowError) -> (id: String?, workflow: Workflow?) {
        let id: String?
        switch request {
        case .bucketDefault: id = defaultWorkflow
        case .none: id = nil
        case .named(let name): id = name
        }
        guard let id else {
            if isWorkflowRequired { throw .workflowRequired }
            return (nil, nil)
        }
        guard let workflow = workflows[id] else { throw .unknownWorkflow(id) }
        return (id, workflow)
    }
}
