import Hummingbird
import JSONCore

/// Builds the receiver's JSON answers. Bodies are small fixed shapes; JSONValue keeps their keys in order.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ body: JSONValue) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(body.compactString())
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: buffer))
    }

    static func notFound() -> Response {
        make(.notFound, ["error": "Not Found"])
    }

    /// 503 while configuration is unusable: the reason and what to do about it.
    static func unavailable(_ problem: StartupProblem) -> Response {
        make(
            .serviceUnavailable,
            [
                "error": "Service Unavailable", "reason": .string(problem.reason), "action": .string(problem.action),
            ])
    }

    static func forbidden(reason: String) -> Response {
        make(.forbidden, ["error": "Forbidden", "reason": .string(reason)])
    }
}
