/// A job with its attempts and their steps, oldest attempt first: what `show` prints.
public struct JobDetail: Sendable, Equatable {
    public var job: Job
    public var attempts: [AttemptDetail]

    public init(job: Job, attempts: [AttemptDetail]) {
        self.job = job
        self.attempts = attempts
    }
}

/// An attempt with its steps in the order they started.
public struct AttemptDetail: Sendable, Equatable {
    public var attempt: Attempt
    public var steps: [Step]

    public init(attempt: Attempt, steps: [Step]) {
        self.attempt = attempt
        self.steps = steps
    }
}
