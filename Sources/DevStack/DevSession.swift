import BenchlingSandbox
import Foundation
import JSONCore
import Worker

/// The scripted traffic of a dev run: signed webhooks through the receiver, then waiting for the worker.
///
/// Rounds are sequential on purpose: an entry event and a canvas event travel in different FIFO groups (entry id
/// vs canvas id), so sending both at once would let two jobs of one entry run side by side.
public struct DevSession: Sendable {
    public let stack: DevStack

    public init(stack: DevStack) {
        self.stack = stack
    }

    /// The opening rounds: `v2.entry.created` for every sample (packages are written), then `v2.canvas.created`
    /// for every sample's canvas (the canvas shows the package and ends enabled with the done state).
    public func sendSamples() async throws -> [DeliveryResult] {
        let created = try await round(
            stack.samples.map { sample in
                (sample, SandboxMessage.entryCreated(entryId: sample.entryId), "/event")
            })
        let canvases = try await round(
            stack.samples.map { sample in
                (sample, SandboxMessage.canvasCreated(canvasId: sample.canvasId), "/canvas")
            })
        return created + canvases
    }

    /// Presses **Update Package** on the canvas of each given sample (all when empty), as a user in Benchling
    /// would: the sandbox disables the canvas and signs the `v2.canvas.userInteracted` delivery.
    ///
    /// With `editingFirst`, each entry is changed in the sandbox before the press (its Status field and
    /// modification time), so the worker writes a new revision; without it the export is unchanged and the job
    /// is skipped (same top hash, no new revision), which is worth seeing too.
    public func pressUpdate(on samples: [SampleEntry] = [], editingFirst: Bool = true) async throws -> [DeliveryResult]
    {
        let targets = samples.isEmpty ? stack.samples : samples
        var deliveries: [(SampleEntry, SignedDelivery, String)] = []
        for sample in targets {
            if editingFirst { await edit(sample) }
            let button = CanvasButton(.update, entryId: sample.entryId).description
            let delivery = try await stack.sandbox.pressButton(canvasId: sample.canvasId, buttonId: button)
            deliveries.append((sample, delivery, "/canvas"))
        }
        return try await deliver(deliveries, eventType: "v2.canvas.userInteracted")
    }

    /// Marks the entry reviewed at the current time, as a scientist editing it in Benchling would.
    private func edit(_ sample: SampleEntry) async {
        let now = Date()
        let stamp = ISO8601DateFormatter().string(from: now)
        await stack.sandbox.updateEntry(sample.entryId) { entry in
            entry.modifiedAt = now
            let status = "Reviewed \(stamp)"
            entry.fields["Status"] = [
                "value": .string(status), "type": "text", "displayValue": .string(status), "textValue": .string(status),
                "isMulti": false,
            ]
        }
    }

    /// Finds a sample by entry id or display id (case-insensitive).
    public func sample(named name: String) -> SampleEntry? {
        stack.samples.first {
            $0.entryId.lowercased() == name.lowercased() || $0.displayId.lowercased() == name.lowercased()
        }
    }

    private func round(_ messages: [(SampleEntry, SandboxMessage, String)]) async throws -> [DeliveryResult] {
        var deliveries: [(SampleEntry, SignedDelivery, String)] = []
        for (sample, message, path) in messages {
            deliveries.append((sample, try await stack.sandbox.signedDelivery(message: message), path))
        }
        return try await deliver(deliveries, eventType: nil)
    }

    private func deliver(
        _ deliveries: [(SampleEntry, SignedDelivery, String)], eventType: String?
    ) async throws -> [DeliveryResult] {
        var results: [DeliveryResult] = []
        for (sample, delivery, path) in deliveries {
            let answer = try await stack.sender.post(delivery, to: path)
            let type = eventType ?? delivery.envelope["message"]?["type"]?.stringValue ?? "?"
            results.append(
                DeliveryResult(
                    eventType: type, sample: sample, path: path, webhookId: delivery.webhookId,
                    httpStatus: answer.status, job: nil))
        }
        return try await JobWaiter(jobLog: stack.jobLog, limit: stack.options.jobWaitLimit).wait(for: results)
    }
}
