import Foundation
import HTTPTypes
import Hummingbird
import JSONCore

/// Small constructors for the answers the sandbox gives, all in Benchling's shapes.
enum Reply {
    static func json(_ value: JSONValue, status: Int = 200, extraHeaders: [(String, String)] = []) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for (name, value) in extraHeaders {
            if let fieldName = HTTPField.Name(name) { headers[fieldName] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.compactData())))
    }

    /// `{"error": {"type", "message", "userMessage"[, "invalidId"]}}`.
    static func error(
        _ status: Int, type: String = "invalid_request_error", message: String, invalidId: String? = nil,
        extraHeaders: [(String, String)] = []
    ) -> Response {
        var error: JSONObject = ["type": .string(type), "message": .string(message), "userMessage": .string(message)]
        if let invalidId { error["invalidId"] = .string(invalidId) }
        return json(["error": .object(error)], status: status, extraHeaders: extraHeaders)
    }

    static func text(_ text: String, status: Int, contentType: String = "text/plain") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The answer to a fault that replaces the real one, or nil for `.delay` (which only waits).
    static func fault(_ fault: SandboxFault) async throws -> Response? {
        switch fault {
        case .delay(let duration):
            try await Task.sleep(for: duration)
            return nil
        case .rateLimited(let reset):
            return error(
                429, type: "rate_limit_error", message: "Rate limit exceeded.",
                extraHeaders: [("x-rate-limit-reset", reset), ("x-rate-limit-limit", "60")])
        case .status(let code):
            return error(
                code, type: code >= 500 ? "server_error" : "invalid_request_error",
                message: "Sandbox fault: HTTP \(code).")
        case .emptyServerError:
            return Response(status: .internalServerError)
        }
    }
}
