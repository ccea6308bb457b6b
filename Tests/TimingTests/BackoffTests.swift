import Testing
import Timing

@Suite(.timeLimit(.minutes(1))) struct BackoffTests {
    @Test func ceilingsDoubleFromTheBaseUpToTheCap() {
        let backoff = Backoff(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(backoff.ceiling(beforeRetry: 0) == .milliseconds(100))
        #expect(backoff.ceiling(beforeRetry: 1) == .milliseconds(200))
        #expect(backoff.ceiling(beforeRetry: 3) == .milliseconds(800))
        #expect(backoff.ceiling(beforeRetry: 4) == .seconds(1))
        #expect(backoff.ceiling(beforeRetry: 10_000) == .seconds(1))
        #expect(backoff.ceiling(beforeRetry: -3) == .milliseconds(100))
    }

    @Test func fullJitterIsAFractionOfTheCeiling() {
        let backoff = Backoff(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(backoff.delay(beforeRetry: 2, random: 0.5) == .milliseconds(200))
        #expect(backoff.delay(beforeRetry: 2, random: 0) == .zero)
        for retry in 0..<12 {
            for _ in 0..<20 {
                let delay = backoff.delay(beforeRetry: retry)
                #expect(delay >= .zero && delay <= backoff.ceiling(beforeRetry: retry))
            }
        }
    }

    @Test func withoutJitterTheWaitIsTheCeiling() {
        let backoff = Backoff(baseDelay: .seconds(10), maxDelay: .seconds(900), jitter: .none)
        #expect(backoff.delay(beforeRetry: 0, random: 0) == .seconds(10))
        #expect(backoff.delay(beforeRetry: 2, random: 0.1) == .seconds(40))
        #expect(backoff.delay(beforeRetry: 30) == .seconds(900))
    }
}
