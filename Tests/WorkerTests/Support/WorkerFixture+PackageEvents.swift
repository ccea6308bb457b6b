import AWSServices
import Foundation
import JSONCore
import TestSupport
import Worker

/// The package-event side of a deployment: a standard queue with a dead-letter queue as the template makes them,
/// packages written by quilt3 as another writer would, and Quilt's `package-revision` envelopes.
extension WorkerFixture {
    /// `<name>-events` and `<name>-events-dlq`, wired by a RedrivePolicy (the template's PackageEventQueue).
    func createPackageEventQueue(
        maxReceiveCount: Int = 5, visibilitySeconds: Int = 30
    ) async throws
        -> (queue: String, deadLetter: String)
    {
        let seeder = MotoSeeder(environment)
        let name = environment.uniqueName("ev")
        let deadLetter = try await seeder.createQueue(name: name + "-dlq", attributes: [:])
        let arn = try await adminSQS.getQueueAttributes(queueURL: deadLetter, names: ["QueueArn"])["QueueArn"] ?? ""
        let queue = try await seeder.createQueue(
            name: name,
            attributes: [
                "VisibilityTimeout": String(visibilitySeconds),
                "RedrivePolicy": #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":\#(maxReceiveCount)}"#,
            ])
        return (queue, deadLetter)
    }

    func settings(packageEvents queueURL: String) -> WorkerSettings {
        var settings = self.settings()
        settings.packageEventQueueAddress = queueURL
        return settings
    }

    /// Pushes a package with quilt3 (admin credentials): a revision made outside this worker. Returns its top hash.
    @discardableResult
    func pushWithQuilt3(
        _ name: String, meta: JSONValue?, files: [String: String] = ["data.csv": "a,b\n1,2\n"]
    )
        throws -> String
    {
        var fileObject = JSONObject()
        for (key, text) in files.sorted(by: { $0.key < $1.key }) { fileObject[key] = .string(text) }
        let request: JSONValue = [
            "registry": .string("s3://\(bucket)"), "name": .string(name), "message": "revised elsewhere",
            "meta": meta ?? .null, "files": .object(fileObject),
        ]
        let pushed = try PythonJudge(environment).run(
            "quilt_push.py", input: request.compactData(),
            env: environment.pythonEnvironment(credentials: environment.admin))
        guard pushed.status == 0, let topHash = try JSONValue.parse(pushed.stdout)["top_hash"]?.stringValue else {
            throw FixtureError("quilt_push.py failed (\(pushed.status)): \(pushed.stderr)")
        }
        return topHash
    }

    /// The EventBridge envelope of Quilt's `pkgevents` lambda for a new revision, as the rule delivers it.
    static func packageRevisionEnvelope(id: String, bucket: String, handle: String, topHash: String?) -> String {
        var detail: JSONObject = [
            "version": "0.1", "type": "created", "bucket": .string(bucket), "handle": .string(handle),
        ]
        if let topHash { detail["topHash"] = .string(topHash) }
        let envelope: JSONValue = [
            "version": "0", "id": .string(id), "detail-type": "package-revision", "source": "com.quiltdata",
            "account": "123456789012", "time": "2026-06-15T18:02:00Z", "region": "us-east-1", "resources": [],
            "detail": .object(detail),
        ]
        return envelope.compactString()
    }

    /// Sends a package-revision envelope to `queueURL` (as the EventBridge rule does); returns the event id.
    @discardableResult
    func sendPackageEvent(
        handle: String, topHash: String?, bucket: String? = nil, to queueURL: String
    ) async throws
        -> String
    {
        let id = UUID().uuidString.lowercased()
        _ = try await adminSQS.sendMessage(
            queueURL: queueURL,
            body: Self.packageRevisionEnvelope(id: id, bucket: bucket ?? self.bucket, handle: handle, topHash: topHash))
        return id
    }

    /// Visible plus in-flight messages of a queue.
    func pendingMessages(_ queueURL: String) async throws -> Int {
        let attributes = try await adminSQS.getQueueAttributes(
            queueURL: queueURL, names: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        return (attributes["ApproximateNumberOfMessages"].flatMap(Int.init) ?? 0)
            + (attributes["ApproximateNumberOfMessagesNotVisible"].flatMap(Int.init) ?? 0)
    }
}
