import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay on loopback in front of an upstream port, which can hold what clients send: a queue endpoint
/// that is slow, or (with no upstream) one that accepts connections and never answers — faults moto cannot
/// produce.
///
/// Plain blocking sockets on threads of its own, so a held connection never occupies the cooperative pool the
/// receiver under test runs on. Everything clients sent is kept for assertions.
///
/// File descriptors are numbers the process reuses at once: each is closed exactly once, by the last thread
/// using it, and shut down only while still open — a late `shutdown` on a reused number would cut some other
/// test's connection.
final class HoldingRelay: @unchecked Sendable {
    let port: Int
    private let upstreamPort: Int?
    private let listener: Int32
    private let lock = NSLock()
    private var holding: Bool
    private var received = Data()
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var stopped = false
    private var listenerClosed = false

    /// One client connection and its upstream. Guarded by the relay's lock.
    private final class Connection: @unchecked Sendable {
        let client: Int32
        let upstream: Int32?
        /// Bytes from the client not yet forwarded (held).
        var pending = Data()
        /// Threads still using the descriptors; the last one closes them.
        var threads: Int
        init(client: Int32, upstream: Int32?) {
            self.client = client
            self.upstream = upstream
            threads = upstream == nil ? 1 : 2
        }
    }

    /// - Parameter upstreamPort: where to forward (127.0.0.1); nil: nothing behind it, nothing ever answers.
    init(upstreamPort: Int?) throws {
        self.upstreamPort = upstreamPort
        holding = upstreamPort == nil
        let (fd, port) = try Self.listen()
        listener = fd
        self.port = port
        Thread { [self] in acceptLoop() }.start()
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// From now on, what clients send is kept instead of forwarded.
    func hold() { lock.withLock { holding = true } }

    /// Forwards what was held, and everything after.
    func release() {
        lock.withLock {
            guard upstreamPort != nil else { return }
            holding = false
            for connection in connections.values where !connection.pending.isEmpty {
                if let upstream = connection.upstream { Self.writeAll(connection.pending, to: upstream) }
                connection.pending.removeAll()
            }
        }
    }

    /// Everything clients sent so far (all connections, in arrival order), as text.
    var receivedText: String { lock.withLock { String(decoding: received, as: UTF8.self) } }

    /// Polls until a client sent `text` (true), or `timeout` passed (false).
    func waitForRequest(containing text: String, timeout: Duration) async throws -> Bool {
        try await eventually(timeout: timeout, every: .milliseconds(20)) { receivedText.contains(text) }
    }

    /// Stops accepting and ends every connection (their threads close the descriptors).
    func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            // Wakes the accept loop, which closes the listener itself.
            if !listenerClosed { shutdown(listener, Int32(SHUT_RDWR)) }
            for connection in connections.values {
                shutdown(connection.client, Int32(SHUT_RDWR))
                if let upstream = connection.upstream { shutdown(upstream, Int32(SHUT_RDWR)) }
            }
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0, errno == EINTR { continue }
            guard client >= 0 else { break }
            let upstream = upstreamPort.flatMap { try? Self.connect(port: $0) }
            if upstreamPort != nil, upstream == nil {
                close(client)
                continue
            }
            let connection = Connection(client: client, upstream: upstream)
            let accepted: Bool = lock.withLock {
                guard !stopped else { return false }
                connections[ObjectIdentifier(connection)] = connection
                return true
            }
            guard accepted else {
                close(client)
                if let upstream { close(upstream) }
                break
            }
            Thread { [self] in pumpFromClient(connection) }.start()
            if upstream != nil { Thread { [self] in pumpToClient(connection) }.start() }
        }
        lock.withLock {
            listenerClosed = true
            close(listener)
        }
    }

    /// Client → upstream, keeping a copy; held bytes wait in `pending` until `release()`.
    private func pumpFromClient(_ connection: Connection) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(connection.client, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            let bytes = Data(buffer[0..<count])
            lock.withLock {
                received.append(bytes)
                if holding || !connection.pending.isEmpty {
                    connection.pending.append(bytes)
                } else if let upstream = connection.upstream {
                    Self.writeAll(bytes, to: upstream)
                }
            }
        }
        lock.withLock {
            if let upstream = connection.upstream { shutdown(upstream, Int32(SHUT_WR)) }
            finished(connection)
        }
    }

    /// Upstream → client, as it comes; ends the client side when the upstream is done.
    private func pumpToClient(_ connection: Connection) {
        guard let upstream = connection.upstream else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(upstream, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            Self.writeAll(Data(buffer[0..<count]), to: connection.client)
        }
        lock.withLock {
            shutdown(connection.client, Int32(SHUT_RDWR))
            finished(connection)
        }
    }

    /// One thread is done with `connection`; the last one closes its descriptors. Called under the lock.
    private func finished(_ connection: Connection) {
        connection.threads -= 1
        guard connection.threads == 0 else { return }
        close(connection.client)
        if let upstream = connection.upstream { close(upstream) }
        connections[ObjectIdentifier(connection)] = nil
    }

    static func writeAll(_ data: Data, to fd: Int32) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    private static func listen() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && Glibc.listen(fd, 64) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard ok else {
            close(fd)
            throw HarnessError("could not listen on loopback")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            throw HarnessError("connection to 127.0.0.1:\(port) refused (errno \(errno))")
        }
        return fd
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` now.
    static func accepts(port: Int) -> Bool {
        guard let fd = try? connect(port: port) else { return false }
        close(fd)
        return true
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
