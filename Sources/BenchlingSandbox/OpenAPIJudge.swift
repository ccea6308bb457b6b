import Foundation
import JSONCore

/// One thing for the OpenAPI judge (scripts/judges/benchling_openapi_check.py) to check.
public enum OpenAPICheck: Sendable {
    /// A request: its operation must exist, its query names be declared, its body match the requestBody schema.
    case request(RecordedRequest)
    /// A response body for `method path` with `status`, checked against that response's schema.
    case response(method: String, path: String, status: Int, body: JSONValue)
    /// A body checked against a named component schema (e.g. "EntryById", "AppCanvas").
    case schema(String, body: JSONValue)

    var judgeJSON: JSONValue {
        switch self {
        case .request(let request):
            return request.judgeJSON
        case .response(let method, let path, let status, let body):
            return [
                "kind": "response", "method": .string(method), "path": .string(path), "status": .int(status),
                "body": body,
            ]
        case .schema(let name, let body):
            return ["kind": "schema", "schema": .string(name), "body": body]
        }
    }
}

/// The judge's verdict.
public struct OpenAPIReport: Sendable, CustomStringConvertible {
    public struct Failure: Sendable {
        /// Index into the checks that were sent.
        public let index: Int
        public let method: String?
        public let path: String?
        /// e.g. "updateAppCanvas (PATCH /app-canvases/{canvas_id})", or the schema name.
        public let operation: String
        public let errors: [String]
    }

    /// The spec file the judge used.
    public let spec: String
    public let checked: Int
    public let skipped: Int
    public let failures: [Failure]

    /// True when everything checked conforms.
    public var isClean: Bool { failures.isEmpty }

    public var description: String {
        var lines = ["OpenAPI judge: \(checked) checked, \(skipped) skipped, \(failures.count) failing (\(spec))"]
        for failure in failures {
            lines.append("  #\(failure.index) \(failure.operation): " + failure.errors.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}

/// Runs the Python judge on a batch of checks.
public enum OpenAPIJudge {
    /// - Parameters:
    ///   - python: interpreter with jsonschema and PyYAML (`TestEnvironment.python`).
    ///   - repoRoot: the package root (the script lives in `scripts/judges/`).
    ///   - spec: a spec path, or "auto" (shared vectors beside the repo, else the benchling-api-client wheel).
    public static func run(
        _ checks: [OpenAPICheck], python: String, repoRoot: URL, spec: String = "auto",
        timeout: Duration = .seconds(600)
    ) async throws -> OpenAPIReport {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-judge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("checks.json")
        try JSONValue.array(checks.map(\.judgeJSON)).compactData().write(to: input)
        let script = repoRoot.appendingPathComponent("scripts/judges/benchling_openapi_check.py")
        let (status, stdout, stderr) = try await ProcessRunner.run(
            executable: python, arguments: [script.path, "--spec", spec, input.path], in: folder, timeout: timeout)
        guard status == 0 || status == 1, let report = try? JSONValue.parse(stdout), report["checked"] != nil else {
            throw SandboxError.judgeFailed(
                "exit \(status): \(String(decoding: stdout, as: UTF8.self)) \(stderr.suffix(2000))")
        }
        let failures = (report["failures"]?.arrayValue ?? []).map { item in
            OpenAPIReport.Failure(
                index: item["index"]?.intValue ?? -1, method: item["method"]?.stringValue,
                path: item["path"]?.stringValue, operation: item["operation"]?.stringValue ?? "?",
                errors: (item["errors"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        return OpenAPIReport(
            spec: report["spec"]?.stringValue ?? spec, checked: report["checked"]?.intValue ?? 0,
            skipped: report["skipped"]?.intValue ?? 0, failures: failures)
    }
}

extension SandboxTenant {
    /// Checks every recorded `/api/v2` request against Benchling's OpenAPI spec.
    /// Downloads and JWKS fetches are not API calls and are left out.
    public func validateRecordedRequests(
        python: String, repoRoot: URL, spec: String = "auto", timeout: Duration = .seconds(600)
    ) async throws -> OpenAPIReport {
        let requests = await recordedRequests().filter { $0.path.hasPrefix("/api/v2/") }
        return try await OpenAPIJudge.run(
            requests.map { .request($0) }, python: python, repoRoot: repoRoot, spec: spec, timeout: timeout)
    }
}

/// Runs a child process without blocking a cooperative thread; output goes to files, so pipes cannot fill up.
enum ProcessRunner {
    static func run(
        executable: String, arguments: [String], in folder: URL, timeout: Duration
    ) async throws -> (status: Int32, stdout: Data, stderr: String) {
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let box = ProcessBox(process)
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            box.terminate()
        }
        defer { watchdog.cancel() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let stdout = (try? Data(contentsOf: outURL)) ?? Data()
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return (status, stdout, stderr)
    }
}

/// Lets the watchdog task stop a child that overran its timeout (`Process` is thread-safe for `terminate`).
private final class ProcessBox: @unchecked Sendable {
    private let process: Process
    init(_ process: Process) { self.process = process }
    func terminate() { if process.isRunning { process.terminate() } }
}
