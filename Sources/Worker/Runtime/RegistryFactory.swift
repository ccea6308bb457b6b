import AWSServices
import Config
import Foundation
import Quilt

/// Chooses the package registry by the form of `USER_BUCKET`: a local directory (`file:///…`, the embedded
/// default that quilt3 reads as a local registry) or an S3 bucket.
public enum RegistryFactory {
    public static func make(for bucket: UserBucket, s3: S3) throws -> any PackageRegistry {
        switch bucket {
        case .localDirectory(let path):
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return try LocalDirectoryRegistry(root: URL(fileURLWithPath: path, isDirectory: true))
        case .s3(let name):
            return S3Registry(s3: s3, bucket: name)
        }
    }
}
