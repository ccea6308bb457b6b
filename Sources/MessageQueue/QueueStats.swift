/// Approximate message counts, as SQS reports them (good enough for health and operators, not for logic).
public struct QueueStats: Sendable, Equatable {
    /// Waiting to be received (including those held back behind an in-flight message of their group).
    public var visible: Int
    /// Received and not yet deleted, still within their visibility timeout.
    public var inFlight: Int
    /// Sent with a delay that has not yet passed.
    public var delayed: Int

    public init(visible: Int, inFlight: Int, delayed: Int) {
        self.visible = visible
        self.inFlight = inFlight
        self.delayed = delayed
    }
}
