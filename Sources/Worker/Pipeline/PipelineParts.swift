import AWSCore
import AWSServices
import AsyncHTTPClient
import Benchling
import Config
import JobLog
import Logging
import Quilt

/// Builds the configuration-dependent part of the worker, a `PackagingPipeline`, from the parts that live as long
/// as the process (AWS and Benchling HTTP clients, job log).
struct PipelineParts: Sendable {
    let aws: AWSClient
    let benchlingHTTP: HTTPClient
    let jobLog: JobLog
    let settings: WorkerSettings
    let metrics: WorkerMetrics
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void

    /// The pipeline for `configuration`. What `previous` has for the same credentials (the Benchling client and its
    /// token) or the same bucket (the registry) is kept.
    func pipeline(for configuration: Configuration, previous: PackagingPipeline?) async throws -> PackagingPipeline {
        let registry: any PackageRegistry
        if let previous, previous.configuration.userBucket == configuration.userBucket {
            registry = previous.registry
        } else {
            registry = try RegistryFactory.make(for: configuration.userBucket, s3: S3(client: aws))
            if try await !registry.keepsObjectVersions() {
                logger.warning(
                    "the registry does not keep object versions: older package revisions are only as stable as the objects under the package prefix (Quilt recommends a versioned bucket)",
                    metadata: ["registry": "\(registry.registryURL)"])
            }
        }
        let client: BenchlingClient
        if let previous, previous.configuration.hasSameCredentials(as: configuration) {
            client = previous.client
        } else {
            client = BenchlingClient(
                baseURL: configuration.benchlingBaseURL.absoluteString, clientId: configuration.clientId,
                clientSecret: configuration.clientSecret, httpClient: benchlingHTTP, sleep: sleep,
                logger: RateLimitCountingLog.logger(label: "worker.benchling", base: logger, metrics: metrics))
        }
        // Athena runs in the Quilt stack's region, where its database lives.
        return PackagingPipeline(
            client: client, registry: registry, jobLog: jobLog, configuration: configuration, settings: settings,
            logger: logger, athena: Athena(client: aws, region: configuration.stackRegion.map { AWSRegion($0) }))
    }
}
