import AWSServices
import Config
import Foundation
import Quilt

/// Chooses the package registry by the form of `USER_BUCKET`: a local directory (`file:///…`, the embedded
/// default that quilt3 reads as a local registry) or an S3 bucket.
///
/// A local registry hard-links the job's files into place when the work directory shares its file system: the
/// pipeline writes each file once (download, extract, documents), hashes it, publishes it and then only deletes
/// its work directory, so no byte of a linked object is ever written again.
public enum RegistryFactory {
    public static func make(for bucket: UserBucket, s3: S3) throws -> any PackageRegistry {
        switch bucket {
        case .localDirectory(let path):
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return try LocalDirectoryRegistry(
                root: URL(fileURLWithPath: path, isDirectory: true), placement: .linkSource)
        case .s3(let name):
            return S3Registry(s3: s3, bucket: name)
        }
    }
}
