import Foundation

/// An AWS region name such as `us-east-1`.
public struct AWSRegion: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { name = value }

    public var description: String { name }

    /// `AWS_REGION`, then `AWS_DEFAULT_REGION` (the SDKs' order); nil when neither is set.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> AWSRegion?
    {
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                return AWSRegion(value)
            }
        }
        return nil
    }

    /// The region field of an ARN (`arn:aws:cloudformation:us-east-1:123456789012:stack/...`); nil if the ARN has
    /// none (global resources) or is not an ARN.
    public static func fromARN(_ arn: String) -> AWSRegion? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[3].isEmpty else { return nil }
        return AWSRegion(String(parts[3]))
    }
}

extension AWSRegion {
    /// The region an SQS queue URL names in its host (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`); nil for
    /// any other address (an emulator's, a VPC endpoint's, `sqlite:///…`).
    public static func fromSQSQueueURL(_ address: String) -> AWSRegion? {
        guard let host = URL(string: address)?.host else { return nil }
        let labels = host.split(separator: ".")
        guard labels.count >= 4, labels[0] == "sqs" else { return nil }
        return AWSRegion(String(labels[1]))
    }
}
