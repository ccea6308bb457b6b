/// A parsed CloudFormation stack ARN: `arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID`.
///
/// The Quilt stack's ARN is one of the two configuration inputs; its region and account are where the
/// stack (and, unless `AWS_REGION` says otherwise, every AWS call) lives.
public struct StackARN: Sendable, Hashable, CustomStringConvertible {
    public let partition: String
    public let region: String
    public let account: String
    public let stackName: String
    public let stackId: String

    /// The form shown to operators when an ARN is malformed.
    public static let expectedForm = "arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID"

    /// Parses the ARN; nil when it is not a CloudFormation stack ARN.
    public init?(_ text: String) {
        let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", fields[2] == "cloudformation" else { return nil }
        let partition = String(fields[1])
        let region = String(fields[3])
        let account = String(fields[4])
        guard partition.hasPrefix("aws"), partition.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }),
            StackARN.isRegion(region),
            account.count == 12, account.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        let resource = fields[5].split(separator: "/", omittingEmptySubsequences: false)
        guard resource.count == 3, resource[0] == "stack", StackARN.isStackName(resource[1]),
            !resource[2].isEmpty, resource[2].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else { return nil }
        self.partition = partition
        self.region = region
        self.account = account
        stackName = String(resource[1])
        stackId = String(resource[2])
    }

    public var description: String {
        "arn:\(partition):cloudformation:\(region):\(account):stack/\(stackName)/\(stackId)"
    }

    /// Region names such as `us-east-1`, `eu-central-2`, `us-gov-west-1`: lower-case words and digits
    /// joined by hyphens.
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count >= 3
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }
    }

    /// CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 characters.
    static func isStackName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter, text.count <= 128 else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
