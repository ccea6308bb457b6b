/// Runs `body` with `resource`, then awaits `shutdown(resource)`, also when `body` throws, so a test ends only once
/// what it started has stopped. (A `defer { Task { await resource.shutdown() } }` is awaited by nobody: the clean-up
/// can outlive the test, overlap the next one, or never run at all when the process exits first.)
public func withShutdown<Resource, Result>(
    of resource: Resource, by shutdown: (Resource) async -> Void, _ body: (Resource) async throws -> Result
) async throws -> Result {
    let result: Result
    do {
        result = try await body(resource)
    } catch {
        await shutdown(resource)
        throw error
    }
    await shutdown(resource)
    return result
}
