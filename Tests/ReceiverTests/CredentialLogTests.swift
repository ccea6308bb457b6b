import Foundation
import HTTPTypes
import NIOCore
import Receiver
import TestSupport
import Testing

/// `LOG_LEVEL=DEBUG` with AWS credentials in the environment, the receiver served as production serves it (its
/// application in a ServiceGroup, whose debug lines name every service): no line holds a credential, a token or
/// the webhook's signature.
@Suite("Receiver logs hold no credentials", .timeLimit(.minutes(3)))
struct CredentialLogTests {
    @Test("a delivery at DEBUG logs no AWS secret, session token or webhook signature")
    func debugLogsHoldNoCredentials() async throws {
        let logs = CapturedLogs()
        let secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKEY"
        let sessionToken = "IQoJb3JpZ2luX2VjEzzSESSIONTOKEN"
        var setup = ReceiverSetup()
        setup.logger = logs.logger(level: .debug)
        setup.secretEdit = { $0["LOG_LEVEL"] = "DEBUG" }
        setup.settingsEdit = { settings in
            settings.environment["AWS_ACCESS_KEY_ID"] = "AKIAZZCREDENTIALSCAN"
            settings.environment["AWS_SECRET_ACCESS_KEY"] = secretKey
            settings.environment["AWS_SESSION_TOKEN"] = sessionToken
        }
        try await ReceiverHarness.runServing(setup) { receiver, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_creds"))
            var headers = HTTPFields()
            for (name, value) in delivery.headers {
                headers.append(HTTPField(name: HTTPField.Name(name)!, value: value))
            }
            let response = try await receiver.execute(
                "/event", method: .post, headers: headers, body: ByteBuffer(bytes: delivery.body))
            #expect(response.status == .ok)
            #expect(logs.all.contains { $0.level == .debug }, "the scan needs DEBUG lines to look at")
            let findings = CredentialScan.findings(
                in: logs.all, secrets: [secretKey, sessionToken, delivery.signature])
            #expect(findings.isEmpty, "\(findings)")
        }
    }

    /// swift-service-lifecycle prints a service's value at DEBUG, and the settings hold the whole environment for
    /// the resolver: printed, they name how many variables there are, never their values.
    @Test("the settings, printed the way a service's value is, hold no credential from the environment")
    func settingsPrintNoCredentials() throws {
        let secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKEY"
        let sessionToken = "IQoJb3JpZ2luX2VjEzzSESSIONTOKEN"
        let settings = try ReceiverSettings.fromEnvironment([
            "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_SESSION_TOKEN": sessionToken, "QUEUE_URL": "sqlite:///tmp/q.db",
        ])
        for printed in [String(describing: settings), String(reflecting: settings), "\(settings)"] {
            #expect(!printed.contains(secretKey) && !printed.contains(sessionToken), "\(printed)")
        }
    }
}
