import Benchling
import BenchlingSandbox
import Foundation
import Logging
import TestSupport
import Testing

@testable import Worker

/// Names of linked objects against the sandbox: bulk-get in chunks, a cap per job, and failures that leave names
/// null without failing.
@Suite("Link names", .timeLimit(.minutes(2)))
struct LinkNameResolverTests {
    static func client(_ sandbox: SandboxTenant) -> BenchlingClient {
        var settings = BenchlingClient.Settings()
        settings.retry = .none
        return BenchlingClient(
            baseURL: sandbox.baseURL.absoluteString, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret,
            settings: settings)
    }

    @Test("chunks of bulk-get, at most maxIds ids, and a failing Benchling leaves names out")
    func boundedAndBestEffort() async throws {
        let environment = try TestEnvironment.load()
        try await withShutdown(of: SandboxTenant.start(), by: { await $0.shutdown() }) { (sandbox) async throws in
            for index in 0..<5 {
                await sandbox.addNamedObject(
                    SandboxNamedObject(collection: "dna-sequences", id: "seq_\(index)", name: "Seq \(index)"))
            }
            let links =
                (0..<5).map { EntryLinks.Link(type: "dna_sequence", id: "seq_\($0)", webURL: nil) }
                + [
                    EntryLinks.Link(type: "batch", id: "bat_1", webURL: nil),
                    EntryLinks.Link(type: "link", id: nil, webURL: "https://x"),
                ]
            var resolver = LinkNameResolver(client: Self.client(sandbox), logger: Logger(label: "test"))
            resolver.maxIds = 3
            resolver.chunkSize = 2
            resolver.parallelism = 2
            let names = try await resolver.names(for: links)
            #expect(names == ["seq_0": "Seq 0", "seq_1": "Seq 1", "seq_2": "Seq 2"])
            #expect(await sandbox.counters().nameLookups == 2, "two bulk-gets of at most two ids")

            await sandbox.inject(.status(503), count: 10, route: .namedObjects)
            #expect(try await resolver.names(for: links) == [:])

            let report = try await sandbox.validateRecordedRequests(
                python: environment.python, repoRoot: environment.repoRoot)
            #expect(report.isClean, "\(report.failures)")
        }
    }
}
