import AsyncHTTPClient
import BenchlingSandbox
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// `--attack`: what a hostile caller costs the receiver (Benchmarks/bench-hostile.sh).
///
/// 1. `connections` TCP connections each send the headers of a POST declaring 1 MiB and 1 MiB − 64 bytes of an
///    unsigned body, then stall. Meanwhile a valid signed delivery is sent; then the attackers hang up. Prints
///    the receiver's RSS before, its peak (VmHWM) and after, how the attackers were answered, and the delivery's.
/// 2. Deliveries whose `webhook-signature` holds 700 (or 60) items, a valid one among them: how fast they are
///    refused.
enum HostileRuns {
    static func run(
        client: HTTPClient, base: String, port: Int, sandbox: SandboxTenant, receiver: Process, connections: Int
    ) async throws {
        let pid = receiver.processIdentifier
        let before = memory(pid: pid)
        progress("opening \(connections) stalled uploads")
        let started = ContinuousClock.now
        var sockets: [Int32] = []
        var refusedToConnect = 0
        let head =
            "POST /event HTTP/1.1\r\nHost: receiver\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(1 << 20)\r\n\r\n"
        let body = [UInt8](repeating: UInt8(ascii: " "), count: (1 << 20) - 64)
        for _ in 0..<connections {
            guard let fd = connect(port: port) else {
                refusedToConnect += 1
                continue
            }
            sendAll(fd, Array(head.utf8))
            sendAll(fd, body)
            sockets.append(fd)
        }
        let opened = ContinuousClock.now - started
        progress("sending a valid delivery during the attack")
        let delivery = try await sandbox.signedDelivery(message: .entryCreated(entryId: "etr_attack"))
        let (status, latency) = try await post(client: client, base: base, delivery: delivery)
        let during = memory(pid: pid)
        let answers = sockets.map(readAvailable)
        let busy = answers.filter { $0.hasPrefix("HTTP/1.1 503") && $0.contains("busy") }.count
        let unanswered = answers.filter(\.isEmpty).count
        for fd in sockets { close(fd) }
        progress("attackers hung up; letting the receiver settle")
        try await Task.sleep(for: .seconds(5))
        let after = memory(pid: pid)

        print(
            "stalled uploads: \(connections) connections × (1 MiB − 64 B) unsigned body declared as 1 MiB, then stalled"
        )
        print("  sent in \(format(opened)); \(refusedToConnect) connections refused")
        print(
            "  answers: \(busy) × 503 busy at once, \(unanswered) not answered yet (reading their body within the budget, or "
                + "their answer still on its way), "
                + "\(answers.count - busy - unanswered) other")
        print("  valid signed delivery during the attack: \(status) in \(format(latency))")
        print(
            "  receiver RSS: before \(before.rss) MiB, during \(during.rss) MiB, "
                + "peak (VmHWM) \(during.peak) MiB, 5 s after hang-up \(after.rss) MiB")

        // 700 items (73 KB) exceed the HTTP header cap (400); 60 items (6 KB) pass it and meet the receiver's own
        // cap on signature items (403 signature_header_too_large). Neither may cost any key work.
        for items in [700, 60] {
            progress("sending deliveries with \(items)-item signature headers")
            var refusals: [Duration] = []
            var statuses: Set<UInt> = []
            var size = 0
            for index in 0..<50 {
                let delivery = try await sandbox.signedDelivery(message: .entryCreated(entryId: "etr_sig\(index)"))
                let signature = Array(repeating: delivery.signature, count: items).joined(separator: " ")
                size = signature.utf8.count
                let (status, latency) = rawPost(port: port, delivery: delivery, signature: signature)
                refusals.append(latency)
                statuses.insert(status)
            }
            refusals.sort()
            print(
                "\(items)-item signature header (\(size / 1024) KB), 50 deliveries one after another: "
                    + "statuses \(statuses.sorted()), p50 \(format(refusals[refusals.count / 2])), "
                    + "max \(format(refusals[refusals.count - 1])) (client round trip)")
        }
    }

    /// Posts a delivery (optionally with another signature header); the status and the round-trip time.
    static func post(
        client: HTTPClient, base: String, delivery: SignedDelivery, signature: String? = nil
    ) async throws -> (UInt, Duration) {
        var request = HTTPClientRequest(url: base + "/event")
        request.method = .POST
        for (name, value) in delivery.headers {
            request.headers.add(
                name: name, value: name.lowercased() == "webhook-signature" ? signature ?? value : value)
        }
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        let started = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, ContinuousClock.now - started)
    }

    /// Posts on a connection of its own and reads the status line: AsyncHTTPClient traps when the server answers
    /// and closes while it is still writing a large head, which is exactly what the header cap does.
    static func rawPost(port: Int, delivery: SignedDelivery, signature: String) -> (UInt, Duration) {
        var head = "POST /event HTTP/1.1\r\nHost: receiver\r\nContent-Length: \(delivery.body.count)\r\n"
        for (name, value) in delivery.headers {
            head += "\(name): \(name.lowercased() == "webhook-signature" ? signature : value)\r\n"
        }
        let started = ContinuousClock.now
        guard let fd = connect(port: port) else { return (0, .zero) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        sendAll(fd, Array((head + "\r\n").utf8) + Array(delivery.body))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        let elapsed = ContinuousClock.now - started
        guard count > 12 else { return (0, elapsed) }
        let status = String(decoding: buffer[9..<12], as: UTF8.self)
        return (UInt(status) ?? 0, elapsed)
    }

    /// VmRSS and VmHWM (peak) of a process, in MiB.
    static func memory(pid: Int32) -> (rss: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func kilobytes(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
            return Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "") ?? 0
        }
        return (kilobytes("VmRSS:") / 1024, kilobytes("VmHWM:") / 1024)
    }

    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return milliseconds < 10 ? String(format: "%.2f ms", milliseconds) : String(format: "%.0f ms", milliseconds)
    }

    /// A blocking loopback connection with a 5 s send timeout (an attacker never waits long), nil when refused.
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            return nil
        }
        return fd
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// What the server sent so far on `fd`, without waiting.
    static func readAvailable(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }
}
