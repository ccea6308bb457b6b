/// Polls `condition` every `interval` until it holds or `timeout` has passed; returns whether it held. The bound is
/// a limit on waiting for an event, never a measurement: pick it generously.
public func eventually(
    timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(100),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        guard ContinuousClock.now < deadline else { return false }
        try await Task.sleep(for: interval)
    }
}
