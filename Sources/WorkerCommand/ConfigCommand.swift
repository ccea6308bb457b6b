import AWSCore
import AWSServices
import ArgumentParser
import Config
import Foundation
import Logging
import Worker

/// `worker config check`: resolve configuration once and print the masked summary, or every problem.
public struct ConfigCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Inspect the configuration.",
        subcommands: [CheckCommand.self, VerifyCommand.self])

    public init() {}

    public struct CheckCommand: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Resolve the configuration and print it masked (exit 0) or list every problem (exit 1).")

        public init() {}

        public func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            var logger = Logger(label: "worker.config")
            logger.logLevel = .warning
            let result: Result<Configuration, ConfigurationError>
            do {
                result = .success(try await ConfigurationResolver(environment: environment, logger: logger).resolve())
            } catch {
                result = .failure(error)
            }
            var notes: [String] = []
            if case .success(let configuration) = result {
                notes.append(await Self.versioningNote(configuration, environment: environment))
            }
            let (text, ok) = renderCheck(result, notes: notes)
            print(text, terminator: "")
            if !ok { throw ExitCode(1) }
        }

        /// Whether the bucket keeps object versions: without them older revisions are only as stable as the
        /// objects under the package prefix.
        static func versioningNote(_ configuration: Configuration, environment: [String: String]) async -> String {
            guard let bucket = configuration.userBucket.bucketName else {
                return "local registry: older revisions are only as stable as the files under the package folder"
            }
            let factory = AWSClientFactory(environment: environment)
            let client = factory.client(
                .operator, region: factory.regionOrDefault(stack: configuration.stackRegion.map { AWSRegion($0) }))
            let note: String
            do {
                let registry = try RegistryFactory.make(for: configuration.userBucket, s3: S3(client: client))
                note =
                    try await registry.keepsObjectVersions()
                    ? "bucket \(bucket) is versioned: every revision keeps pointing at its own bytes"
                    : "bucket \(bucket) is NOT versioned: older revisions are only as stable as the objects under the package prefix (Quilt recommends versioning)"
            } catch {
                note = "could not read the versioning of bucket \(bucket): \(error)"
            }
            try? await client.shutdown()
            return note
        }
    }
}
