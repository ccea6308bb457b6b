import JSONCore

/// The workflow a package is published under, with its schemas loaded: checks a package as quilt3's
/// `WorkflowValidator.validate` does and gives the manifest's `workflow` header.
public struct PreparedWorkflow: Sendable {
    public struct LoadedSchema: Sendable {
        public let id: String
        public let schema: JSONSchema
    }

    /// nil when the config allows publishing without a workflow and none was chosen.
    public let id: String?
    public let workflow: WorkflowConfig.Workflow?
    public let metadataSchema: LoadedSchema?
    public let entriesSchema: LoadedSchema?
    /// `{"id", "config"[, "schemas"]}` exactly as quilt3 records it (part of the top hash).
    public let header: JSONObject

    /// Checks in quilt3's order: message, name, metadata, entries. `entries` in walk order.
    public func validate(
        package: PackageName, message: String?, userMeta: JSONObject?, entries: [ManifestEntry]
    ) throws(WorkflowError) {
        guard let workflow else { return }
        func fail(_ rule: String) -> WorkflowError { .validationFailed(workflow: id, rule: rule) }
        if workflow.isMessageRequired, (message ?? "").isEmpty {
            throw fail("a commit message is required")
        }
        if let pattern = workflow.handlePattern, !pattern.isEmpty {
            // Compiled when the workflow was prepared; Python's re.search: a match anywhere in the name.
            guard let regex = try? Regex(pattern), package.description.firstMatch(of: regex) != nil else {
                throw fail("package name '\(package)' does not match handle_pattern '\(pattern)'")
            }
        }
        if let loaded = metadataSchema {
            do {
                try loaded.schema.validate(.object(userMeta ?? [:]))
            } catch {
                throw fail("metadata does not match schema '\(loaded.id)' \(error)")
            }
        }
        if let loaded = entriesSchema {
            let rows: [JSONValue] = entries.map {
                [
                    "logical_key": .string($0.logicalKey), "size": .integer(String($0.size)),
                    "meta": .object($0.userMeta ?? [:]),
                ]
            }
            do {
                try loaded.schema.validate(.array(rows))
            } catch {
                throw fail("package entries do not match schema '\(loaded.id)' \(error)")
            }
        }
    }
}
