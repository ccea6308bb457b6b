import Foundation
import Hummingbird
import JSONCore

/// The route handlers. Shapes follow the spec's schemas; errors follow Benchling's error shape.
extension SandboxResponder {
    /// `POST /api/v2/token`: client credentials by Basic auth (or form fields, which the spec also allows).
    func token(_ call: Call) async -> Response {
        let form = FormDecoder.decode(String(decoding: call.body, as: UTF8.self))
        guard form["grant_type"] == "client_credentials" else {
            return Reply.error(400, type: "unsupported_grant_type", message: "grant_type must be client_credentials.")
        }
        var id = form["client_id"] ?? ""
        var secret = form["client_secret"] ?? ""
        if let authorization = call.authorization, authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        {
            id = String(pair[..<colon])
            secret = String(pair[pair.index(after: colon)...])
        }
        guard let token = await state.issueToken(clientId: id, clientSecret: secret) else {
            return Reply.error(401, type: "invalid_client", message: "Invalid client credentials.")
        }
        return Reply.json([
            "access_token": .string(token), "token_type": "Bearer",
            "expires_in": .int(state.options.tokenLifetimeSeconds),
        ])
    }

    func getEntry(_ call: Call) async -> Response {
        let id = call.lastSegment
        guard let entry = await state.entry(id), entry.access != .notFound else {
            return Reply.error(404, message: "Entry not found: \(id)", invalidId: id)
        }
        if entry.access == .forbidden {
            return Reply.error(
                403, type: "invalid_request_error", message: "Not authorized to read \(id).",
                invalidId: id)
        }
        return Reply.json(["entry": entry.json(baseURL: await state.baseURL)])
    }

    /// `POST /api/v2/exports` with `ExportItemRequest` → 202 `{"taskId"}`.
    func startExport(_ call: Call) async -> Response {
        guard let body = call.jsonObject, let id = body["id"]?.stringValue else {
            return Reply.error(400, message: "Body must be a JSON object with an \"id\".")
        }
        if let unknown = body.keys.first(where: { !["id", "format"].contains($0) }) {
            return Reply.error(400, message: "Unrecognized field: \(unknown).")
        }
        if let format = body["format"], !(format == "pdf" || format == "html") {
            return Reply.error(400, message: "format must be pdf or html.")
        }
        guard let entry = await state.entry(id), entry.access == .ok else {
            return Reply.error(400, message: "Cannot export \(id): not found.", invalidId: id)
        }
        let taskId = await state.startExport(entryId: id)
        return Reply.json(["taskId": .string(taskId)], status: 202)
    }

    func pollTask(_ call: Call) async -> Response {
        guard let answer = await state.poll(taskId: call.lastSegment) else {
            return Reply.error(404, message: "Task not found.", invalidId: call.lastSegment)
        }
        return Reply.json(answer)
    }

    /// A pre-signed-URL stand-in: no Benchling auth, and — like S3 — a request carrying an Authorization header is
    /// refused, so a client that leaks its bearer token to the download host fails loudly.
    func download(_ call: Call) async throws -> Response {
        if call.authorization != nil {
            return Reply.text(
                "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>",
                status: 400, contentType: "application/xml")
        }
        let name = call.lastSegment
        let token = name.hasSuffix(".zip") ? String(name.dropLast(4)) : name
        if token.hasSuffix(SandboxState.redirectSuffix),
            let location = await state.redirectLocation(
                token: String(token.dropLast(SandboxState.redirectSuffix.count)))
        {
            var headers = HTTPFields()
            headers[.location] = location
            return Response(status: .found, headers: headers)
        }
        guard let source = await state.download(token: token) else {
            return Reply.text("<Error><Code>AccessDenied</Code></Error>", status: 403, contentType: "application/xml")
        }
        let file: URL
        switch source {
        case .ready(let url):
            file = url
        case .members(let members, _):
            let built = try ExportArchiveBuilder.build(members: members, in: state.workDirectory)
            file = await state.built(token: token, file: built)
        }
        // Streamed from disk in chunks; Hummingbird sets Content-Length from the file size.
        let body = try await FileIO().loadFile(path: file.path, context: call.context)
        var headers = HTTPFields()
        headers[.contentType] = "application/zip"
        return Response(status: .ok, headers: headers, body: body)
    }

    func getCanvas(_ call: Call) async -> Response {
        guard let canvas = await state.canvas(call.lastSegment) else {
            return Reply.error(404, message: "Canvas not found.", invalidId: call.lastSegment)
        }
        return Reply.json(canvas.json)
    }

    static let canvasUpdateKeys: Set<String> = ["blocks", "enabled", "data", "sessionId", "featureId", "resourceId"]

    /// `PATCH /api/v2/app-canvases/{id}`; like Benchling, unknown keys are a 400 (`additionalProperties: false`).
    func updateCanvas(_ call: Call) async -> Response {
        guard let body = call.jsonObject else { return Reply.error(400, message: "Body must be a JSON object.") }
        if let unknown = body.keys.first(where: { !Self.canvasUpdateKeys.contains($0) }) {
            // Still logged in canvasHistory so tests can see what was sent.
            _ = await state.update(canvasId: call.lastSegment, body: body, apply: false)
            return Reply.error(400, message: "Unrecognized field: \(unknown).")
        }
        guard let canvas = await state.update(canvasId: call.lastSegment, body: body, apply: true) else {
            return Reply.error(404, message: "Canvas not found.", invalidId: call.lastSegment)
        }
        return Reply.json(canvas.json)
    }

    /// `POST /api/v2/app-canvases` (`AppCanvasCreate`) → 201 `AppCanvas`.
    func createCanvas(_ call: Call) async -> Response {
        guard let body = call.jsonObject, let featureId = body["featureId"]?.stringValue,
            let resourceId = body["resourceId"]?.stringValue, let blocks = body["blocks"]?.arrayValue
        else {
            return Reply.error(400, message: "blocks, featureId and resourceId are required.")
        }
        let keys = Self.canvasUpdateKeys.union(["appId"])
        if let unknown = body.keys.first(where: { !keys.contains($0) }) {
            return Reply.error(400, message: "Unrecognized field: \(unknown).")
        }
        var canvas = SandboxCanvas(
            id: "cnvs_" + RandomID.make(length: 10), resourceId: resourceId, featureId: featureId,
            appId: body["appId"]?.stringValue ?? state.options.appId, blocks: blocks)
        canvas.apply(update: body)
        await state.add(canvas: canvas)
        return Reply.json(canvas.json, status: 201)
    }
}

/// `application/x-www-form-urlencoded` decoding for the token endpoint.
enum FormDecoder {
    static func decode(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if let key = parts.first { result[key] = parts.count > 1 ? parts[1] : "" }
        }
        return result
    }
}
