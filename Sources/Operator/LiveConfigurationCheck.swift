import AWSCore
import AWSServices
import Benchling
import Config
import Foundation
import MessageQueue

/// One live check: what was tried, whether it worked, and what to do when it did not.
public struct LiveCheck: Sendable, Equatable {
    public let name: String
    public let passed: Bool
    public let detail: String
    public let fix: String?

    public static func pass(_ name: String, _ detail: String) -> LiveCheck {
        LiveCheck(name: name, passed: true, detail: detail, fix: nil)
    }

    public static func fail(_ name: String, _ error: any Error, fix: String) -> LiveCheck {
        LiveCheck(name: name, passed: false, detail: String(describing: error), fix: fix)
    }
}

/// Tries, with the process's own credentials, each outside call the worker depends on — before the first webhook
/// finds out: a Benchling token, the bucket (head, then a test object written and deleted under the package
/// prefix), and the queue with its dead-letter queue.
///
/// A resolved configuration only proves the settings are well formed; these prove they work.
public struct LiveConfigurationCheck: Sendable {
    public let configuration: Configuration
    public let benchling: BenchlingClient
    public let s3: S3
    /// Nil when `QUEUE_URL` is not set (e.g. checking from a laptop).
    public let queue: (any MessageQueue)?

    public init(configuration: Configuration, benchling: BenchlingClient, s3: S3, queue: (any MessageQueue)?) {
        self.configuration = configuration
        self.benchling = benchling
        self.s3 = s3
        self.queue = queue
    }

    public func run() async -> [LiveCheck] {
        var checks = [await token()]
        checks += await bucket()
        if let queue { checks.append(await self.queue(queue)) }
        return checks
    }

    func token() async -> LiveCheck {
        let name = "benchling token"
        do {
            try await benchling.checkCredentials()
            return .pass(name, "got an access token from \(benchling.baseURL)")
        } catch {
            return .fail(
                name, error,
                fix:
                    "check CLIENT_ID / CLIENT_SECRET in the Benchling secret and TENANT (\(configuration.tenant)); the app must be installed in that tenant"
            )
        }
    }

    func bucket() async -> [LiveCheck] {
        switch configuration.userBucket {
        case .localDirectory(let path):
            return [localDirectory(path)]
        case .s3(let bucket):
            do {
                // A one-key listing rather than HeadBucket: it needs the same s3:ListBucket, and emulators that
                // map HeadBucket to a non-IAM action judge it like AWS does.
                _ = try await s3.listObjectsV2(bucket: bucket, prefix: configuration.pkgPrefix + "/", maxKeys: 1)
            } catch {
                return [
                    .fail(
                        "bucket", error,
                        fix:
                            "check USER_BUCKET (\(bucket)) exists in this account and the task role may s3:ListBucket it"
                    )
                ]
            }
            let key = "\(configuration.pkgPrefix)/.config-check/\(UUID().uuidString.lowercased())"
            do {
                _ = try await s3.putObject(
                    bucket: bucket, key: key, body: Data("worker config check\n".utf8), contentType: "text/plain")
            } catch {
                return [
                    .pass("bucket", "s3://\(bucket) exists"),
                    .fail(
                        "bucket write", error,
                        fix: "grant the task role s3:PutObject on \(bucket)/\(configuration.pkgPrefix)/*"),
                ]
            }
            do {
                try await s3.deleteObject(bucket: bucket, key: key)
            } catch {
                return [
                    .pass("bucket", "s3://\(bucket) exists"), .pass("bucket write", "wrote s3://\(bucket)/\(key)"),
                    .fail(
                        "bucket delete", error,
                        fix:
                            "grant s3:DeleteObject on \(bucket)/\(configuration.pkgPrefix)/*, then delete s3://\(bucket)/\(key)"
                    ),
                ]
            }
            return [
                .pass("bucket", "s3://\(bucket) exists"),
                .pass("bucket write", "wrote and deleted s3://\(bucket)/\(key)"),
            ]
        }
    }

    func localDirectory(_ path: String) -> LiveCheck {
        let folder = URL(fileURLWithPath: path).appendingPathComponent(configuration.pkgPrefix)
        let file = folder.appendingPathComponent(".config-check-\(UUID().uuidString.lowercased())")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("worker config check\n".utf8).write(to: file)
            try FileManager.default.removeItem(at: file)
            return .pass("registry folder", "wrote and deleted \(file.path)")
        } catch {
            return .fail("registry folder", error, fix: "make \(path) writable by the worker")
        }
    }

    func queue(_ queue: any MessageQueue) async -> LiveCheck {
        let name = "queue"
        do {
            let visibility = try await queue.visibilityTimeout
            let stats = try await queue.stats()
            var detail =
                "visibility timeout \(visibility.components.seconds) s, \(stats.visible) visible, \(stats.inFlight) in flight"
            guard let maxReceiveCount = try await queue.maxReceiveCount,
                let deadLetters = try await queue.deadLetterQueue()
            else {
                return LiveCheck(
                    name: name, passed: false, detail: detail + "; no redrive policy",
                    fix:
                        "give the queue a RedrivePolicy with a dead-letter queue (the ops template sets maxReceiveCount 3)"
                )
            }
            let dlq = try await deadLetters.stats()
            detail += "; dead-letter queue after \(maxReceiveCount) receives holds \(dlq.visible)"
            return .pass(name, detail)
        } catch {
            return .fail(
                name, error,
                fix:
                    "check QUEUE_URL and that the task role may sqs:GetQueueAttributes on the queue and its dead-letter queue"
            )
        }
    }

    /// `PASS name: detail` / `FAIL name: detail` with the fix indented below.
    public static func render(_ checks: [LiveCheck]) -> String {
        checks.map { check in
            var line = "\(check.passed ? "PASS" : "FAIL") \(check.name): \(check.detail)\n"
            if let fix = check.fix { line += "     fix: \(fix)\n" }
            return line
        }.joined()
    }
}
