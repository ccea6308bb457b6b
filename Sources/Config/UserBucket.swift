/// Where packages are written (`USER_BUCKET`): an S3 bucket, or a local directory for the embedded default.
public enum UserBucket: Sendable, Hashable, CustomStringConvertible {
    /// An S3 bucket, by name.
    case s3(bucket: String)
    /// An absolute directory path (from `file:///abs/path`), used as a local Quilt registry.
    case localDirectory(path: String)

    /// The bucket name, when this is an S3 bucket.
    public var bucketName: String? {
        if case .s3(let bucket) = self { return bucket }
        return nil
    }

    /// The registry URL quilt3 understands: `s3://bucket` or `file:///abs/path`.
    public var registryURL: String {
        switch self {
        case .s3(let bucket): "s3://\(bucket)"
        case .localDirectory(let path): "file://\(path)"
        }
    }

    public var description: String {
        switch self {
        case .s3(let bucket): bucket
        case .localDirectory: registryURL
        }
    }
}
