import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

extension BenchlingClient {
    /// Polls `GET /tasks/{id}` until it leaves RUNNING, waiting `pollInterval` first and growing the wait by half
    /// each time up to `maxPollInterval`. Returns the SUCCEEDED task; throws `.taskFailed` (with Benchling's
    /// message) for FAILED and `.timedOut` once `maxWait` has passed.
    public func waitForTask(
        _ taskId: String, pollInterval: Duration = .seconds(1), maxPollInterval: Duration = .seconds(10),
        maxWait: Duration = .seconds(900)
    ) async throws -> AsyncTask {
        let operation = "GET /tasks/\(taskId)"
        let deadline = now().addingTimeInterval(Self.seconds(maxWait))
        var interval = pollInterval
        while true {
            let task = try await getTask(taskId)
            switch task.status {
            case .succeeded:
                return task
            case .failed:
                var message = task.message
                if message == nil, let errors = task.errors { message = errors.compactString() }
                throw BenchlingError(kind: .taskFailed, operation: operation, message: message ?? "export failed")
            case .running, .other:
                guard now() < deadline else {
                    throw BenchlingError(kind: .timedOut("task still running after \(maxWait)"), operation: operation)
                }
                try await sleep(interval)
                interval = min(interval * 1.5, maxPollInterval)
            }
        }
    }

    /// Waits for an export task and returns its pre-signed `downloadURL`.
    public func waitForExport(
        taskId: String, pollInterval: Duration = .seconds(1), maxPollInterval: Duration = .seconds(10),
        maxWait: Duration = .seconds(900)
    ) async throws -> String {
        let task = try await waitForTask(
            taskId, pollInterval: pollInterval, maxPollInterval: maxPollInterval, maxWait: maxWait)
        guard let url = task.downloadURL else {
            throw BenchlingError(
                kind: .invalidResponse("export succeeded without downloadURL"),
                operation: "GET /tasks/\(taskId)")
        }
        return url
    }

    /// Streams `url` (a pre-signed export URL) to `file`, replacing it. Sends NO Authorization header: the URL
    /// carries its own credentials and our token must not leak to S3. Retried like API calls (the file is
    /// rewritten from the start). Checks the byte count against Content-Length. Returns the bytes written.
    /// The URL and every redirect must pass `ExportDownloadPolicy`; more than `maxBytes` is refused (permanent).
    @discardableResult
    public func download(
        from url: String, to file: URL, maxBytes: Int64? = nil,
        progress: (@Sendable (_ bytesSoFar: Int64) -> Void)? = nil
    ) async throws -> Int64 {
        let operation = "GET download"
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await downloadOnce(
                    url, to: file, maxBytes: maxBytes, operation: operation, progress: progress)
            } catch let error as BenchlingError where error.isRetryable && attempt < settings.retry.maxAttempts {
                logger.warning("download failed; retrying", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try await sleep(settings.retry.delay(afterAttempt: attempt, serverWait: error.retryAfter))
            }
        }
    }

    /// Largest number of redirects a download follows.
    static let maxDownloadRedirects = 5

    private func downloadOnce(
        _ url: String, to file: URL, maxBytes: Int64?, operation: String, progress: (@Sendable (Int64) -> Void)?
    ) async throws -> Int64 {
        let policy = ExportDownloadPolicy(benchlingBaseURL: baseURL)
        var target = try policy.check(url, operation: operation)
        var response: HTTPClientResponse
        var redirects = 0
        while true {
            var request = HTTPClientRequest(url: target.absoluteString)
            request.method = .GET
            do {
                response = try await httpClient.execute(request, timeout: settings.downloadHeadTimeout)
            } catch let error as CancellationError {
                throw error
            } catch {
                throw BenchlingError(kind: .connection(String(describing: error)), operation: operation)
            }
            // Redirects are followed here, not by the HTTP client, so that every hop passes the policy.
            guard [301, 302, 303, 307, 308].contains(Int(response.status.code)) else { break }
            _ = try? await response.body.collect(upTo: 64 << 10)
            redirects += 1
            guard redirects <= Self.maxDownloadRedirects,
                let location = response.headers.first(name: "location"),
                let next = URL(string: location, relativeTo: target)?.absoluteURL
            else {
                throw BenchlingError(
                    kind: .invalidResponse("the export download redirected too often or without a location"),
                    operation: operation)
            }
            target = try policy.check(next.absoluteString, operation: operation)
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            _ = try? await response.body.collect(upTo: 64 << 10)
            throw BenchlingError(
                kind: .http(status: status), operation: operation,
                retryAfter: Self.serverWait(response.headers))
        }
        let tooLarge = BenchlingError(
            kind: .invalidResponse("the export ZIP is larger than MAX_EXPORT_BYTES (\(maxBytes ?? 0) bytes)"),
            operation: operation)
        if let maxBytes, let length = response.headers.first(name: "content-length").flatMap(Int64.init),
            length > maxBytes
        {
            throw tooLarge
        }
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var written: Int64 = 0
        do {
            for try await chunk in response.body {
                written += Int64(chunk.readableBytes)
                if let maxBytes, written > maxBytes { throw tooLarge }
                try handle.write(contentsOf: Data(chunk.readableBytesView))
                progress?(written)
            }
        } catch let error as CancellationError {
            throw error
        } catch let error as CocoaError {
            throw error
        } catch let error as BenchlingError {
            throw error
        } catch {
            throw BenchlingError(kind: .connection("download interrupted: \(error)"), operation: operation)
        }
        if let expected = response.headers.first(name: "content-length").flatMap(Int64.init), expected != written {
            throw BenchlingError(
                kind: .connection("download truncated: \(written) of \(expected) bytes"),
                operation: operation)
        }
        return written
    }

    /// Export → wait → download in one call. Returns the task id and the bytes written to `file`.
    public func exportEntry(
        _ entryId: String, to file: URL, pollInterval: Duration = .seconds(1), maxWait: Duration = .seconds(900)
    ) async throws -> (taskId: String, bytes: Int64) {
        let taskId = try await startExport(entryId: entryId)
        let url = try await waitForExport(taskId: taskId, pollInterval: pollInterval, maxWait: maxWait)
        return (taskId, try await download(from: url, to: file))
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
