import Foundation
import JSONCore

/// Reads an error body in any of the forms AWS (and moto) use:
/// JSON `{"__type": "...#Code", "message": ...}` (or `code`/`Message`), query-protocol XML
/// `<ErrorResponse><Error><Code>` / `<ErrorResponse><Errors><Error><Code>`, and S3's `<Error><Code>`.
enum AWSErrorParser {
    static func parse(
        status: Int, headers: [(String, String)], body: Data, service: String, operation: String,
        iamAction: String?
    ) -> AWSError {
        var code: String?
        var message: String?
        var requestId = headers.first {
            $0.0.lowercased() == "x-amzn-requestid" || $0.0.lowercased() == "x-amz-request-id"
        }?.1

        let trimmed = body.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if trimmed.first == UInt8(ascii: "{"), let json = try? JSONValue.parse(Data(trimmed)) {
            code = json["__type"]?.stringValue ?? json["code"]?.stringValue ?? json["Code"]?.stringValue
            message = json["message"]?.stringValue ?? json["Message"]?.stringValue
        } else if trimmed.first == UInt8(ascii: "<"), let root = try? AWSXMLElement.parse(Data(trimmed)) {
            let error = root.name == "Error" ? root : root.first(named: "Error")
            code = error?.text(of: "Code")
            message = error?.text(of: "Message")
            requestId =
                requestId ?? root.text(of: "RequestId") ?? root.text(of: "RequestID")
                ?? error?.text(of: "RequestId")
        }
        // JSON protocol: the type header names the error when the body does not.
        if code == nil, let typeHeader = headers.first(where: { $0.0.lowercased() == "x-amzn-errortype" })?.1 {
            code = typeHeader
        }
        return AWSError(
            code: normalize(code) ?? fallbackCode(status), message: message ?? "",
            requestId: requestId, statusCode: status, service: service, operation: operation,
            iamAction: iamAction)
    }

    /// `com.amazonaws.sqs#QueueDoesNotExist` → `QueueDoesNotExist`; `Code:http://...` suffixes dropped.
    static func normalize(_ code: String?) -> String? {
        guard var code = code?.trimmingCharacters(in: .whitespacesAndNewlines), !code.isEmpty else { return nil }
        if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
        if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
        return code
    }

    /// HEAD responses and some errors have no body.
    static func fallbackCode(_ status: Int) -> String {
        switch status {
        case 301: return "PermanentRedirect"
        case 304: return "NotModified"
        case 400: return "BadRequest"
        case 403: return "AccessDenied"
        case 404: return "NotFound"
        case 409: return "Conflict"
        case 412: return "PreconditionFailed"
        case 429: return "TooManyRequestsException"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        default: return "HTTP\(status)"
        }
    }
}
