import AWSCore
import AWSServices
import Foundation

/// A registry in an S3 bucket, through our own S3 client.
///
/// Data files go up as multipart uploads whose parts are exactly the hash chunks (8 MiB, doubled for very large
/// files, so never more than 10,000 parts); the `versionId` S3 returns is recorded in the physical key, so on a
/// versioned bucket every revision keeps pointing at its own bytes.
public struct S3Registry: PackageRegistry {
    public let s3: S3
    public let bucket: String

    public init(s3: S3, bucket: String) {
        self.s3 = s3
        self.bucket = bucket
    }

    public var registryURL: String { "s3://" + bucket }

    public func keepsObjectVersions() async throws -> Bool {
        try await s3.getBucketVersioning(bucket: bucket)
    }

    public func physicalKey(forKey key: String) -> String { PhysicalKey.s3(bucket: bucket, key: key) }

    public func latestTopHash(of package: PackageName) async throws -> String? {
        do {
            return try Self.parsePointer(
                try await getObject(key: RegistryLayout.pointerKey(package: package, tag: "latest")))
        } catch QuiltError.objectNotFound {
            return nil
        }
    }

    public func putDataFile(from file: URL, key: String, contentType: String, size: Int64) async throws -> String {
        let result = try await s3.upload(
            file: file, bucket: bucket, key: key, contentType: contentType,
            partSize: ChunkedHasher.chunkSize(forTotalSize: size))
        return PhysicalKey.s3(bucket: bucket, key: key, versionId: result.versionId)
    }

    public func putManifest(_ bytes: Data, topHash: String) async throws {
        try Manifest.validateTopHash(topHash)
        try await s3.putObject(
            bucket: bucket, key: RegistryLayout.manifestKey(topHash: topHash), body: bytes,
            contentType: "application/jsonl")
    }

    public func putPointer(topHash: String, package: PackageName, tag: String) async throws {
        try Manifest.validateTopHash(topHash)
        try await s3.putObject(
            bucket: bucket, key: RegistryLayout.pointerKey(package: package, tag: tag), body: Data(topHash.utf8),
            contentType: "text/plain")
    }

    public func getObject(key: String) async throws -> Data {
        do {
            return try await s3.getObject(bucket: bucket, key: key).data
        } catch let error as AWSError where error.statusCode == 404 {
            throw QuiltError.objectNotFound(key: key)
        }
    }

    public func readObject(at location: ObjectLocation, maxBytes: Int) async throws -> (Data, ObjectLocation)? {
        guard case .s3(let bucket, let key, let versionId) = location else {
            throw QuiltError.invalidRegistry("\(location) is a local file; an S3 registry reads only s3:// objects")
        }
        do {
            let (data, info) = try await s3.getObject(
                bucket: bucket, key: key, versionId: versionId, maxBytes: maxBytes)
            return (data, location.at(versionId: info.versionId))
        } catch let error as AWSError where error.statusCode == 404 {
            return nil
        }
    }

    public func listPackages() async throws -> [PackageName] {
        var packages: [PackageName] = []
        for try await object in s3.listAllObjects(bucket: bucket, prefix: RegistryLayout.namedPackagesPrefix) {
            if let package = RegistryLayout.packageOfLatestPointer(object.key) { packages.append(package) }
        }
        return packages.sorted()
    }
}
