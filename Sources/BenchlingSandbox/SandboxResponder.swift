import Foundation
import Hummingbird
import JSONCore

/// The sandbox's single HTTP entry point: records the request, applies queued faults, checks authentication,
/// then hands over to the route.
///
/// A hand-written dispatcher rather than a Router keeps recording and fault injection in one obvious place.
struct SandboxResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let state: SandboxState

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let method = request.method.rawValue
        let path = request.uri.path
        let route = SandboxRoute.classify(method: method, path: path)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            let value = RecordedRequest.redact(name: name, value: field.value)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        let body: Data
        do {
            let buffer = try await request.collectBody(upTo: state.options.maxRequestBodyBytes)
            body = Data(buffer.readableBytesView)
        } catch {
            return Reply.error(413, message: "Request body too large.")
        }
        await state.record(
            RecordedRequest(
                method: method, path: path, query: request.uri.query, headers: headers, body: body,
                timestamp: Date(), route: route))

        if let fault = await state.takeFault(for: route), let reply = try await Reply.fault(fault) {
            return reply
        }
        let call = Call(
            method: method, path: path, route: route, body: body,
            authorization: request.headers[.authorization], context: context)

        switch route {
        case .jwks: return Reply.json(await state.jwks())
        case .download: return try await download(call)
        case .token: return await token(call)
        case .other where !path.hasPrefix("/api/v2/"):
            return Reply.error(404, message: "No route for \(method) \(path).")
        default: break
        }
        guard let bearer = call.bearerToken, await state.isValid(token: bearer) else {
            return Reply.error(401, message: "Invalid or expired access token.")
        }
        switch route {
        case .getEntry: return await getEntry(call)
        case .export: return await startExport(call)
        case .task: return await pollTask(call)
        case .getCanvas: return await getCanvas(call)
        case .updateCanvas: return await updateCanvas(call)
        case .createCanvas: return await createCanvas(call)
        case .namedObjects where path.hasSuffix(":bulk-get"):
            return await bulkGetNamedObjects(call, query: request.uri.query)
        case .namedObjects: return await getNamedObject(call)
        default: return Reply.error(404, message: "The sandbox does not implement \(method) \(path).")
        }
    }
}

/// What a route needs to know about one request.
struct Call: Sendable {
    let method: String
    let path: String
    let route: SandboxRoute
    let body: Data
    let authorization: String?
    let context: BasicRequestContext

    /// The last path segment (an id), percent-decoded.
    var lastSegment: String {
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        return last.removingPercentEncoding ?? last
    }

    var bearerToken: String? {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return nil }
        return String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// The body as a JSON object, or nil when it is not one.
    var jsonObject: JSONObject? { (try? JSONValue.parse(body))?.objectValue }
}
