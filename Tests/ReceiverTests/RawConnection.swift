import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection to the receiver that sends exactly the bytes it is given, when it is told to: what an
/// HTTP client library never does (stop halfway through the headers, declare a body and stall).
///
/// A blocking socket read on a thread of its own, so a stalled connection never occupies the cooperative pool
/// the receiver under test runs on. The descriptor is closed once, by the reader thread, after `close()` or EOF.
final class RawConnection: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var bytes = Data()
    private var ended = false

    init(port: Int) throws {
        fd = try HoldingRelay.connect(port: port)
        Thread { [self] in readUntilEOF() }.start()
    }

    func send(_ text: String) { send(Data(text.utf8)) }

    func send(_ data: Data) { HoldingRelay.writeAll(data, to: fd) }

    /// What the server sent so far.
    var received: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

    /// Whether the server closed the connection (EOF or reset).
    var isClosed: Bool { lock.withLock { ended } }

    /// Polls until the server closed the connection; false if it is still open after `timeout`.
    func waitUntilClosed(timeout: Duration) async throws -> Bool {
        try await waitUntil(timeout: timeout) { isClosed }
    }

    /// Polls until the server's answer contains `text` or the connection ended.
    func waitForAnswer(containing text: String, timeout: Duration) async throws -> Bool {
        _ = try await waitUntil(timeout: timeout) { received.contains(text) || isClosed }
        return received.contains(text)
    }

    /// Ends the connection from this side (the reader thread then sees EOF and closes the descriptor).
    func close() {
        lock.withLock { if !ended { _ = shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    private func waitUntil(timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
        try await eventually(timeout: timeout, every: .milliseconds(50)) { condition() }
    }

    private func readUntilEOF() {
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            lock.withLock { bytes.append(contentsOf: buffer[0..<count]) }
        }
        // Under the lock, so `close()` never shuts down a descriptor number the process already reused.
        lock.withLock {
            ended = true
            _ = Glibc.close(fd)
        }
    }
}
