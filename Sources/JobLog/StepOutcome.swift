/// How one pipeline step ended.
public enum StepOutcome: String, Codable, Sendable, CaseIterable {
    case succeeded
    /// The step found its work already done (for example the same top hash already exists).
    case skipped
    case failed
}
