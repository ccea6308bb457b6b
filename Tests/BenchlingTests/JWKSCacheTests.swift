import Benchling
import BenchlingSandbox
import Foundation
import TestSupport
import Testing

/// The JWKS cache against the sandbox's real JWKS endpoint; fetches are counted by the server.
@Suite(.timeLimit(.minutes(5))) struct JWKSCacheTests {
    static func verify(_ verifier: SignatureVerifier, _ delivery: SignedDelivery) async -> SignatureVerdict {
        await verifier.verify(
            headers: WebhookHeaders(delivery.headers.map { ($0.name, $0.value) }),
            body: delivery.body)
    }

    static func entryCreated(_ sandbox: SandboxTenant) async throws -> SignedDelivery {
        try await sandbox.signedDelivery(message: .entryCreated(entryId: "etr_1"))
    }

    @Test func rotationIsAcceptedAfterOneRefetch() async throws {
        try await withSandbox { sandbox in
            let clock = TestClock()
            let cache = sandbox.jwksCache(clock: clock)
            let verifier = SignatureVerifier(keys: cache)
            #expect(await cache.prewarm())
            do {
                let delivery = try await Self.entryCreated(sandbox)
                #expect(await Self.verify(verifier, delivery) == .valid)
            }
            #expect(await sandbox.counters().jwksFetches == 1)

            await sandbox.rotateSigningKey()
            do {
                let delivery = try await Self.entryCreated(sandbox)
                #expect(await Self.verify(verifier, delivery) == .valid)
            }
            #expect(await sandbox.counters().jwksFetches == 2)
            // Later deliveries use the cached new key without fetching.
            do {
                let delivery = try await Self.entryCreated(sandbox)
                #expect(await Self.verify(verifier, delivery) == .valid)
            }
            #expect(await sandbox.counters().jwksFetches == 2)
        }
    }

    @Test func concurrentFailuresShareOneFetchAndRefetchIsRateLimited() async throws {
        try await withSandbox { sandbox in
            let clock = TestClock()
            let cache = sandbox.jwksCache(clock: clock)
            let verifier = SignatureVerifier(keys: cache)
            await cache.prewarm()
            await sandbox.rotateSigningKey()
            var deliveries: [SignedDelivery] = []
            for _ in 0..<12 { deliveries.append(try await Self.entryCreated(sandbox)) }
            let verdicts = await withTaskGroup(of: SignatureVerdict.self) { group in
                for delivery in deliveries { group.addTask { await Self.verify(verifier, delivery) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(verdicts.count == 12)
            #expect(verdicts.allSatisfy { $0 == .valid })
            #expect(await sandbox.counters().jwksFetches == 2)

            // A forged signature (key nobody publishes) right after: rejected without another fetch.
            await sandbox.rotateSigningKey()
            let forged = try await Self.entryCreated(sandbox)
            await sandbox.rotateSigningKey()  // the forger's key is replaced before it is ever published
            #expect(await Self.verify(verifier, forged) == .invalid(.invalidSignature))
            #expect(await sandbox.counters().jwksFetches == 2)
            // After the rate-limit interval a mismatch may refetch again.
            clock.advance(by: 31)
            #expect(await Self.verify(verifier, forged) == .invalid(.invalidSignature))
            #expect(await sandbox.counters().jwksFetches == 3)
        }
    }

    @Test func keysExpireAfterMaxAge() async throws {
        try await withSandbox { sandbox in
            let clock = TestClock()
            let cache = sandbox.jwksCache(clock: clock, maxAge: 100, refreshAhead: 1.0)
            await cache.prewarm()
            let first = try #require(await cache.currentKeys())
            clock.advance(by: 99)
            #expect(await cache.currentKeys()?.generation == first.generation)
            #expect(await sandbox.counters().jwksFetches == 1)
            clock.advance(by: 2)
            let second = try #require(await cache.currentKeys())
            #expect(second.generation != first.generation)
            #expect(await sandbox.counters().jwksFetches == 2)
        }
    }

    @Test func refreshAheadServesCurrentKeysWhileFetching() async throws {
        try await withSandbox { sandbox in
            let clock = TestClock()
            let cache = sandbox.jwksCache(clock: clock, maxAge: 100, refreshAhead: 0.5)
            await cache.prewarm()
            let first = try #require(await cache.currentKeys())
            clock.advance(by: 60)
            // Answers at once with the current keys and starts a background refetch.
            #expect(await cache.currentKeys()?.generation == first.generation)
            // Joining that refetch yields the new generation; still only one extra fetch.
            let joined = await cache.keysAfterFailedMatch(seenGeneration: first.generation)
            #expect(joined != nil && joined?.generation != first.generation)
            #expect(await sandbox.counters().jwksFetches == 2)
        }
    }

    @Test func outageKeepsCachedKeysServing() async throws {
        try await withSandbox { sandbox in
            let clock = TestClock()
            let cache = sandbox.jwksCache(clock: clock, maxAge: 100)
            let verifier = SignatureVerifier(keys: cache)
            await cache.prewarm()
            await sandbox.inject(.status(503), count: 100, route: .jwks)
            clock.advance(by: 1000)  // far past max age: refetch fails, stale keys keep serving
            do {
                let delivery = try await Self.entryCreated(sandbox)
                #expect(await Self.verify(verifier, delivery) == .valid)
            }
            // A mismatch during the outage is still a signature failure, not an outage verdict.
            clock.advance(by: 31)
            await sandbox.rotateSigningKey()
            do {
                let delivery = try await Self.entryCreated(sandbox)
                #expect(await Self.verify(verifier, delivery) == .invalid(.invalidSignature))
            }
        }
    }

    @Test func slowJWKSDoesNotHoldUpVerificationWithExpiredKeys() async throws {
        try await withSandbox { sandbox in
            let clock = TestClock()
            let cache = sandbox.jwksCache(clock: clock, maxAge: 100, expiredKeysWait: .milliseconds(50))
            let verifier = SignatureVerifier(keys: cache)
            await cache.prewarm()
            let first = try #require(await cache.currentKeys())
            await sandbox.inject(.delay(.seconds(3)), count: 1, route: .jwks)
            clock.advance(by: 101)
            let delivery = try await Self.entryCreated(sandbox)
            #expect(await Self.verify(verifier, delivery) == .valid)
            #expect(await cache.isRefreshing)  // answered with the stale keys, not after the 3 s fetch
            // The slow refetch finishes in the background and is then used.
            let joined = await cache.keysAfterFailedMatch(seenGeneration: first.generation)
            #expect(joined != nil && joined?.generation != first.generation)
            #expect(await sandbox.counters().jwksFetches == 2)
        }
    }

    @Test func noKeysEverIsJWKSUnavailable() async throws {
        try await withSandbox { sandbox in
            let clock = TestClock()
            let cache = sandbox.jwksCache(clock: clock)
            let verifier = SignatureVerifier(keys: cache)
            await sandbox.inject(.status(500), count: 100, route: .jwks)
            #expect(await cache.prewarm() == false)
            do {
                let delivery = try await Self.entryCreated(sandbox)
                #expect(await Self.verify(verifier, delivery) == .invalid(.jwksUnavailable))
            }
            // Within the retry interval no new fetch is attempted.
            let attempts = await cache.fetchAttempts
            do {
                let delivery = try await Self.entryCreated(sandbox)
                #expect(await Self.verify(verifier, delivery) == .invalid(.jwksUnavailable))
            }
            #expect(await cache.fetchAttempts == attempts)
            // Once the endpoint recovers and the interval passed, verification works again.
            await sandbox.clearFaults()
            clock.advance(by: 6)
            do {
                let delivery = try await Self.entryCreated(sandbox)
                #expect(await Self.verify(verifier, delivery) == .valid)
            }
        }
    }

    @Test func malformedSignaturesNeverTouchTheJWKS() async throws {
        try await withSandbox { sandbox in
            let cache = sandbox.jwksCache(clock: TestClock())
            let verifier = SignatureVerifier(keys: cache)
            let delivery = try await Self.entryCreated(sandbox)
            let headers = WebhookHeaders(
                id: delivery.webhookId, timestamp: String(delivery.timestamp), signature: "v1bder,@@@@")
            #expect(await verifier.verify(headers: headers, body: delivery.body) == .invalid(.malformedSignature))
            #expect(await sandbox.counters().jwksFetches == 0)
        }
    }
}
