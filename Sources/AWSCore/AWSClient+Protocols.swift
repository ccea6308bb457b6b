import Foundation
import JSONCore

extension AWSClient {
    /// AWS JSON protocol (1.0/1.1): `POST /` with `X-Amz-Target: <target>` and a JSON body; returns the decoded
    /// JSON answer (an empty object for empty bodies).
    ///
    /// - Parameters:
    ///   - service: signing name and endpoint prefix (`sqs`, `secretsmanager`).
    ///   - target: `AmazonSQS.SendMessage`, `secretsmanager.GetSecretValue`, ...; the part after the last `.` is
    ///     the operation (and the IAM action name).
    ///   - jsonVersion: `1.0` or `1.1`; nil picks the service's (SQS 1.0, others 1.1).
    ///   - timeout: deadline for one attempt (long polls need more than the default).
    public func jsonRequest(
        service: String, target: String, body: JSONValue, jsonVersion: String? = nil,
        timeout: Duration? = nil
    ) async throws -> JSONValue {
        let operation = target.split(separator: ".").last.map(String.init) ?? target
        let version = jsonVersion ?? (service == "sqs" ? "1.0" : "1.1")
        let request = AWSRequest(
            service: service, operation: operation, method: "POST",
            baseURL: endpoints.baseURL(service: service, region: region), path: "/",
            headers: [("Content-Type", "application/x-amz-json-\(version)"), ("X-Amz-Target", target)],
            body: .data(body.compactData()), timeout: timeout)
        let response = try await send(request)
        if response.body.isEmpty { return .object(JSONObject()) }
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw AWSClientError(
                .invalidResponse, service: service, operation: operation,
                detail: "response is not JSON: \(error)")
        }
    }

    /// AWS query protocol: `POST /` with a form body `Action=...&Version=...&params`; returns the XML answer's
    /// root element (e.g. `<DescribeStacksResponse>`).
    public func queryRequest(
        service: String, action: String, version: String, params: [String: String] = [:]
    )
        async throws -> AWSXMLElement
    {
        var pairs: [(name: String, value: String)] = [("Action", action), ("Version", version)]
        pairs += params.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let form = pairs.map { AWSURIEncoding.formEncode($0.name) + "=" + AWSURIEncoding.formEncode($0.value) }
            .joined(separator: "&")
        let isGlobal = service == "iam"
        let baseURL =
            isGlobal && endpoints.customEndpoint == nil
            ? "https://iam.amazonaws.com" : endpoints.baseURL(service: service, region: region)
        let request = AWSRequest(
            service: service, operation: action, method: "POST", baseURL: baseURL, path: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: .data(Data(form.utf8)), signingRegion: isGlobal ? AWSRegion("us-east-1") : nil)
        let response = try await send(request)
        do {
            return try AWSXMLElement.parse(response.body)
        } catch {
            throw AWSClientError(.invalidResponse, service: service, operation: action, detail: "\(error)")
        }
    }
}
