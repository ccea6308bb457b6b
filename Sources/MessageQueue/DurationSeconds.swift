extension Duration {
    /// The duration in (fractional) seconds, as SQLite timestamps and SQS parameters use.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Whole seconds, rounded up, for SQS parameters that only take integers (a timeout is never shortened).
    var wholeSecondsRoundedUp: Int {
        let parts = components
        return Int(parts.seconds) + (parts.attoseconds > 0 ? 1 : 0)
    }
}
