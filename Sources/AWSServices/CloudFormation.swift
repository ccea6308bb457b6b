import AWSCore
import Foundation

/// AWS CloudFormation (query protocol, XML answers): only what configuration needs.
public struct CloudFormation: Sendable {
    public static let apiVersion = "2010-05-15"
    public let client: AWSClient

    public init(client: AWSClient) { self.client = client }

    /// A stack as `DescribeStacks` describes it.
    public struct Stack: Sendable, Equatable {
        public var name: String
        public var id: String
        public var status: String
        /// Output key → value.
        public var outputs: [String: String]
        /// Parameter key → value.
        public var parameters: [String: String]
    }

    /// Describes one stack by name or ARN (a stack that does not exist throws `AWSError` code `ValidationError`),
    /// or every stack when `stackName` is nil (first page only).
    public func describeStacks(stackName: String? = nil) async throws -> [Stack] {
        var params: [String: String] = [:]
        if let stackName { params["StackName"] = stackName }
        let root = try await client.queryRequest(
            service: "cloudformation", action: "DescribeStacks",
            version: Self.apiVersion, params: params)
        let members = root.descendant(["DescribeStacksResult", "Stacks"])?.children("member") ?? []
        return members.map { member in
            Stack(
                name: member.text(of: "StackName") ?? "",
                id: member.text(of: "StackId") ?? "",
                status: member.text(of: "StackStatus") ?? "",
                outputs: Self.pairs(member.child("Outputs"), key: "OutputKey", value: "OutputValue"),
                parameters: Self.pairs(member.child("Parameters"), key: "ParameterKey", value: "ParameterValue"))
        }
    }

    private static func pairs(_ list: AWSXMLElement?, key: String, value: String) -> [String: String] {
        var result: [String: String] = [:]
        for member in list?.children("member") ?? [] {
            if let name = member.text(of: key) { result[name] = member.text(of: value) ?? "" }
        }
        return result
    }
}
