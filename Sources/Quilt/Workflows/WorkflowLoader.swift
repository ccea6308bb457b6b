import JSONCore

/// Reads a registry's workflows config and the schemas its chosen workflow names, as quilt3's
/// `workflows.validate` does before a push: nothing is written, and every refusal is a `WorkflowError`.
public struct WorkflowLoader: Sendable {
    public static let configKey = ".quilt/workflows/config.yml"
    /// Configs and schemas are small; a larger object is refused rather than read into memory.
    public static let maxBytes = 1 << 20

    public let registry: any PackageRegistry

    public init(registry: any PackageRegistry) { self.registry = registry }

    /// nil when the registry has no workflows config and the default was asked for (nothing is recorded).
    /// Registry errors other than "not found" are thrown as they are (they may be temporary).
    public func prepare(_ request: WorkflowRequest) async throws -> PreparedWorkflow? {
        let configLocation = try ObjectLocation(url: registry.physicalKey(forKey: Self.configKey))
        guard let found = try await registry.readObject(at: configLocation, maxBytes: Self.maxBytes) else {
            if case .bucketDefault = request { return nil }
            if case .named(let id) = request { throw WorkflowError.noConfig(requested: id) }
            throw WorkflowError.noConfig(requested: "")
        }
        let (bytes, location) = found
        let config = try WorkflowConfig(yaml: bytes, location: location)
        let (id, workflow) = try config.choose(request)
        if let pattern = workflow?.handlePattern, !pattern.isEmpty, (try? Regex(pattern)) == nil {
            throw WorkflowError.invalidConfig(
                "handle_pattern '\(pattern)' of workflow '\(id ?? "")' is not a regular expression this service can read"
            )
        }
        // Metadata schema first, then entries schema: the order quilt3 loads them in, and so the header's.
        var loadedURLs: [(id: String, url: String)] = []
        var byRequestedURL: [String: (JSONSchema, String)] = [:]
        var loaded: [PreparedWorkflow.LoadedSchema?] = []
        for schemaId in [workflow?.metadataSchema, workflow?.entriesSchema] {
            guard let schemaId, !schemaId.isEmpty else {
                loaded.append(nil)
                continue
            }
            let (schema, stored) = try await loadSchema(schemaId, config: config, cache: &byRequestedURL)
            if !loadedURLs.contains(where: { $0.id == schemaId }) { loadedURLs.append((schemaId, stored)) }
            loaded.append(PreparedWorkflow.LoadedSchema(id: schemaId, schema: schema))
        }
        let (metadataSchema, entriesSchema) = (loaded[0], loaded[1])
        var header: JSONObject = ["id": id.map(JSONValue.string) ?? .null, "config": .string(location.description)]
        if !loadedURLs.isEmpty {
            header["schemas"] = .object(JSONObject(loadedURLs.map { ($0.id, JSONValue.string($0.url)) }))
        }
        return PreparedWorkflow(
            id: id, workflow: workflow, metadataSchema: metadataSchema, entriesSchema: entriesSchema, header: header)
    }

    private func loadSchema(
        _ schemaId: String, config: WorkflowConfig, cache: inout [String: (JSONSchema, String)]
    ) async throws -> (JSONSchema, String) {
        guard let url = config.schemaURLs[schemaId] else {
            throw WorkflowError.unusableSchema(id: schemaId, reason: "there is no '\(schemaId)' in schemas")
        }
        let requested: ObjectLocation
        do {
            requested = try ObjectLocation(url: url)
        } catch {
            throw WorkflowError.unusableSchema(id: schemaId, reason: "cannot parse URL '\(url)'")
        }
        if requested.isLocal, !config.location.isLocal {
            throw WorkflowError.unusableSchema(
                id: schemaId, reason: "local schema '\(requested)' can't be used on a remote registry")
        }
        if let cached = cache[requested.description] { return cached }
        guard let found = try await registry.readObject(at: requested, maxBytes: Self.maxBytes) else {
            throw WorkflowError.unusableSchema(id: schemaId, reason: "no object at \(requested)")
        }
        let (bytes, stored) = found
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw WorkflowError.unusableSchema(id: schemaId, reason: "\(requested) is not JSON (\(error))")
        }
        let schema: JSONSchema
        do {
            schema = try JSONSchema(value)
        } catch {
            throw WorkflowError.unusableSchema(id: schemaId, reason: "\(error)")
        }
        cache[requested.description] = (schema, stored.description)
        return (schema, stored.description)
    }
}
