import Benchling
import Testing

@Suite(.timeLimit(.minutes(2))) struct RetryPolicyTests {
    @Test func backoffGrowsAndIsCapped() {
        let top = BenchlingRetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1), random: { 0.999999 })
        #expect(top.delay(afterAttempt: 1, serverWait: nil) < .milliseconds(100))
        #expect(top.delay(afterAttempt: 2, serverWait: nil) > .milliseconds(150))
        #expect(top.delay(afterAttempt: 10, serverWait: nil) <= .seconds(1))
        let bottom = BenchlingRetryPolicy(random: { 0 })
        #expect(bottom.delay(afterAttempt: 3, serverWait: nil) == .zero)
    }

    @Test func serverWaitIsHonouredAndCapped() {
        let policy = BenchlingRetryPolicy(baseDelay: .milliseconds(100), maxServerWait: .seconds(30), random: { 0.5 })
        #expect(policy.delay(afterAttempt: 1, serverWait: 7) == .seconds(7) + .milliseconds(10))
        #expect(policy.delay(afterAttempt: 1, serverWait: 3600) == .seconds(30) + .milliseconds(10))
    }

    @Test func errorClassification() {
        func http(_ status: Int) -> BenchlingError { BenchlingError(kind: .http(status: status), operation: "GET /x") }
        for status in [400, 401, 403, 404, 409, 422] { #expect(http(status).isPermanent, "\(status)") }
        for status in [429, 500, 502, 503, 504] { #expect(http(status).isTransient, "\(status)") }
        #expect(BenchlingError(kind: .connection("reset"), operation: "x").isTransient)
        #expect(BenchlingError(kind: .taskFailed, operation: "x").isPermanent)
        #expect(BenchlingError(kind: .timedOut("slow"), operation: "x").isTransient)
    }
}
