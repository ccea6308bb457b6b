import Benchling
import Foundation
import JSONCore
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct WebhookModelTests {
    static func envelope(_ message: String) -> String {
        """
        {"version":"0","baseURL":"https://acme.benchling.com","tenantId":"ten_1","app":{"id":"app_1"},
         "appDefinition":{"id":"appdef_1","versionNumber":"1.2.0"},"channel":"events","extra":{"x":1},
         "message":\(message)}
        """
    }

    static func parse(_ message: String) throws -> WebhookEnvelope {
        try WebhookEnvelope.parse(Array(envelope(message).utf8))
    }

    @Test func envelopeFieldsAndVectorBody() throws {
        let json = try JSONValue.parse(try Fixtures.data("webhook-signatures.json"))
        let body = try #require(json["cases"]?[0]?["body"]?.stringValue)
        let envelope = try WebhookEnvelope.parse(Array(body.utf8))
        #expect(envelope.version == "0")
        #expect(envelope.tenantId == "ten_test")
        #expect(envelope.appId == "app_test")
        #expect(envelope.appDefinitionId == "appdef_test")
        #expect(envelope.appDefinitionVersion == "0.0.1")
        #expect(envelope.channel == "events")
        #expect(envelope.message.kind == .entry(entryId: "etr_test0001"))
        #expect(envelope.message.eventId == "evt_test0001")
        #expect(envelope.message.messageGroupId == "etr_test0001")
        #expect(envelope.message.createdAt == "2023-11-14T22:13:20.000000+00:00")
        #expect(envelope.message.createdAtDate == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(envelope.raw["message"] == envelope.message.raw)
    }

    @Test(arguments: ["v2.entry.created", "v2.entry.updated.fields", "v2.entry.updated.reviewRecord"])
    func entryEvents(type: String) throws {
        let message = try Self.parse(#"{"type":"\#(type)","resourceId":"etr_9","createdAt":"2024-01-02T03:04:05.5Z"}"#)
            .message
        #expect(message.kind == .entry(entryId: "etr_9"))
        #expect(message.entryId == "etr_9")
        #expect(message.needsWorker)
        #expect(message.createdAtDate == Date(timeIntervalSince1970: 1_704_164_645.5))
    }

    @Test func canvasEvents() throws {
        let initialized = try Self.parse(
            #"{"type":"v2.canvas.initialized","resourceId":"etr_1","featureId":"quilt_entry","userId":"ent_u"}"#
        ).message
        #expect(initialized.kind == .canvasInitialized(resourceId: "etr_1", featureId: "quilt_entry", userId: "ent_u"))
        #expect(initialized.messageGroupId == "etr_1")

        for type in ["v2.canvas.created", "v2-beta.canvas.created"] {
            let created = try Self.parse(#"{"type":"\#(type)","canvasId":"cnvs_1","featureId":"f"}"#).message
            #expect(created.kind == .canvasCreated(canvasId: "cnvs_1", featureId: "f", userId: nil))
            #expect(created.entryId == nil)
            #expect(created.messageGroupId == "cnvs_1")
        }

        let click = try Self.parse(
            #"{"type":"v2.canvas.userInteracted","buttonId":"browse-etr_1-p2","canvasId":"cnvs_1","featureId":"f","userId":"ent_u"}"#
        ).message
        #expect(
            click.kind
                == .canvasInteraction(buttonId: "browse-etr_1-p2", canvasId: "cnvs_1", featureId: "f", userId: "ent_u"))
        #expect(click.buttonId == "browse-etr_1-p2")
        #expect(click.canvasId == "cnvs_1")
        #expect(click.messageGroupId == "cnvs_1")
    }

    @Test func lifecycleAndUnknown() throws {
        for type in [
            "v2.app.installed", "v2.app.activateRequested", "v2.app.deactivated", "v2-beta.app.configuration.updated",
        ] {
            let message = try Self.parse(#"{"type":"\#(type)"}"#).message
            #expect(message.kind == .lifecycle(type: type))
            #expect(!message.needsWorker)
            #expect(message.messageGroupId == nil)
        }
        let other = try Self.parse(#"{"type":"v2.request.created","resourceId":"req_1"}"#).message
        #expect(other.kind == .unknown(type: "v2.request.created"))
        #expect(!other.needsWorker)
    }

    @Test func badShapesAreClearErrors() {
        let bodies = [
            "not json", "[1,2]", #"{"version":"0"}"#, Self.envelope(#"{"resourceId":"etr_1"}"#),
            Self.envelope(#"{"type":"v2.entry.created"}"#),
            Self.envelope(#"{"type":"v2.canvas.userInteracted","canvasId":"cnvs_1"}"#),
            Self.envelope(#"{"type":"v2.canvas.created"}"#), Self.envelope(#""string""#),
        ]
        for body in bodies {
            #expect(throws: WebhookPayloadError.self, "\(body)") { try WebhookEnvelope.parse(Array(body.utf8)) }
        }
        do {
            _ = try WebhookEnvelope.parse(Array(Self.envelope(#"{"type":"v2.entry.created"}"#).utf8))
        } catch {
            #expect(error.description.contains("message.resourceId"))
        }
    }

    @Test func endpointsComeFromConfigurationOnly() {
        #expect(BenchlingEndpoints.baseURL(tenant: "acme") == "https://acme.benchling.com")
        #expect(BenchlingEndpoints.baseURL(tenant: "acme.benchling.com") == "https://acme.benchling.com")
        #expect(BenchlingEndpoints.baseURL(tenant: "https://acme.benchling.com/") == "https://acme.benchling.com")
        #expect(BenchlingEndpoints.baseURL(tenant: "acme", override: "http://127.0.0.1:9/") == "http://127.0.0.1:9")
        #expect(
            BenchlingEndpoints.jwksURL(appDefinitionId: "appdef_1")
                == "https://apps.benchling.com/api/v1/apps/appdef_1/jwks")
        #expect(BenchlingEndpoints.jwksURL(appDefinitionId: "x", override: "http://h/jwks") == "http://h/jwks")
    }
}
