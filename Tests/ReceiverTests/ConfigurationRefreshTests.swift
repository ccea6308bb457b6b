import Foundation
import JSONCore
import NIOCore
import Receiver
import TestSupport
import Testing

/// A running receiver (its real `buildApplication`, moto with the receiver's task-role policy) follows its secret:
/// a changed allowlist takes effect within the refresh interval, an invalid version leaves it ready with `/health`
/// saying the configuration is stale, and no log line ever holds a secret value.
@Suite(.timeLimit(.minutes(3)))
struct ConfigurationRefreshTests {
    static func setup(allowList: String, logs: CapturedLogs) -> ReceiverSetup {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        setup.allowList = allowList
        setup.logger = logs.logger(level: .debug)
        setup.settingsEdit = { $0.refreshInterval = .seconds(1) }
        return setup
    }

    /// The fixture's good secret with `changes` applied.
    static func secret(_ fixture: ReceiverFixture, _ changes: [String: JSONValue]) throws -> String {
        guard case .object(var object) = try JSONValue.parse(fixture.goodSecret) else { throw HarnessError("secret") }
        for (key, value) in changes { object[key] = value }
        return JSONValue.object(object).compactString()
    }

    static func expectNoSecretValueLogged(_ logs: CapturedLogs) {
        #expect(!logs.all.isEmpty)
        for value in ["sandbox-secret", "sandbox-client"] {
            #expect(
                logs.lines(mentioning: value).isEmpty, "a log line holds a credential: \(logs.lines(mentioning: value))"
            )
        }
    }

    @Test func allowListChangeTakesEffectWithoutRestart() async throws {
        let logs = CapturedLogs()
        try await ReceiverHarness.run(Self.setup(allowList: "10.0.0.0/8", logs: logs)) { client, fixture in
            func status(from address: String) async throws -> Int {
                let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_live"))
                return Int(try await client.post("/event", delivery, extra: [("X-Forwarded-For", address)]).status.code)
            }
            #expect(try await status(from: "10.1.2.3") == 200)
            #expect(try await client.get("/health").json["config"]?.stringValue == "current")

            try await fixture.writeSecret(try Self.secret(fixture, ["WEBHOOK_ALLOW_LIST": "192.0.2.0/24"]))
            #expect(
                try await eventually { try await status(from: "10.1.2.3") == 403 }, "the new allowlist never applied")
            #expect(try await status(from: "192.0.2.9") == 200)

            try await fixture.writeSecret(fixture.goodSecret)
            #expect(try await eventually { try await status(from: "10.1.2.3") == 200 }, "the revert never applied")
            #expect(try await status(from: "192.0.2.9") == 403)
            _ = try await fixture.drainQueue()

            let changes = logs.all.filter { $0.message.hasPrefix("configuration changed") }
            #expect(changes.count == 2)
            #expect(changes.allSatisfy { $0.metadata["changed"] == "WEBHOOK_ALLOW_LIST" }, "\(changes)")
        }
        Self.expectNoSecretValueLogged(logs)
    }

    @Test func verificationSettingTakesEffectWithoutRestart() async throws {
        let logs = CapturedLogs()
        try await ReceiverHarness.run(Self.setup(allowList: "", logs: logs)) { client, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_verify"))
            // The signed body with the signature headers left out.
            let unsigned = delivery.headers.filter { !$0.name.lowercased().hasPrefix("webhook-signature") }
            func status() async throws -> Int {
                Int(try await client.post("/event", body: delivery.body, headers: unsigned).status.code)
            }
            #expect(try await status() == 403)
            // Verification off needs an allowlist (else anyone could enqueue work: a configuration error).
            try await fixture.writeSecret(
                try Self.secret(
                    fixture, ["ENABLE_WEBHOOK_VERIFICATION": false, "WEBHOOK_ALLOW_LIST": "127.0.0.0/8"]))
            #expect(try await eventually { try await status() == 200 }, "verification was never turned off")
            try await fixture.writeSecret(fixture.goodSecret)
            #expect(try await eventually { try await status() == 403 }, "verification was never turned back on")
            #expect(try await client.post("/event", delivery).status == .ok)
            _ = try await fixture.drainQueue()
        }
        Self.expectNoSecretValueLogged(logs)
    }

    @Test func invalidVersionKeepsTheConfigurationAndReadiness() async throws {
        let logs = CapturedLogs()
        try await ReceiverHarness.run(Self.setup(allowList: "", logs: logs)) { client, fixture in
            let supervisor = try #require(fixture.application?.supervisor)
            try await fixture.writeSecret(try Self.secret(fixture, ["LOG_LEVEL": "LOUD"]))
            #expect(try await eventually { try await client.get("/health").json["config"]?.stringValue == "stale" })
            let target = supervisor.loop.completedRefreshes + 3
            #expect(try await eventually { supervisor.loop.completedRefreshes >= target })

            let health = try await client.get("/health").json
            #expect(health["mode"]?.stringValue == "normal")
            #expect(health["config_reason"]?.stringValue?.contains("LOG_LEVEL") == true, "\(health)")
            #expect(health["config_reason"]?.stringValue?.contains("LOUD") == false, "\(health)")
            #expect(health["config_action"]?.stringValue?.isEmpty == false)
            #expect(try await client.get("/health/ready").status == .ok)
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_stale"))
            #expect(try await client.post("/event", delivery).status == .ok, "the configuration in use still works")
            #expect(String(buffer: try await client.get("/metrics").body).contains("receiver_config_stale 1"))
            #expect(logs.lines(mentioning: "LOG_LEVEL").count == 1, "\(logs.lines(mentioning: "LOG_LEVEL"))")
            #expect(logs.lines(mentioning: "LOUD").isEmpty)

            try await fixture.writeSecret(fixture.goodSecret)
            #expect(try await eventually { try await client.get("/health").json["config"]?.stringValue == "current" })
            #expect(String(buffer: try await client.get("/metrics").body).contains("receiver_config_stale 0"))
            _ = try await fixture.drainQueue()
        }
        Self.expectNoSecretValueLogged(logs)
    }
}
