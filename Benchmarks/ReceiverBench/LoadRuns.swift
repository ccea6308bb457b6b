import AsyncHTTPClient
import BenchlingSandbox
import Foundation
import NIOCore

/// The two ways of loading the receiver with pre-signed `POST /event` deliveries.
enum LoadRuns {
    /// Open loop: request i is sent at start + i/rate whatever happened to earlier ones (as Benchling does), so
    /// a slow server shows up as latency, not as a lower offered rate.
    static func openLoop(client: HTTPClient, base: String, deliveries: [SignedDelivery], rate: Int) async -> Samples {
        let samples = Samples()
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let clock = ContinuousClock()
        let start = clock.now
        await withTaskGroup(of: Void.self) { group in
            for (index, delivery) in deliveries.enumerated() {
                try? await clock.sleep(until: start + interval * index)
                group.addTask { await send(delivery, client: client, base: base, into: samples) }
            }
        }
        await samples.finish(elapsed: clock.now - start)
        return samples
    }

    /// Closed loop: `concurrency` clients, each sending its next request when the previous one is answered, for
    /// `seconds` (or until the pre-signed deliveries run out): the most the system answers.
    static func closedLoop(
        client: HTTPClient, base: String, deliveries: [SignedDelivery], concurrency: Int, seconds: Int
    ) async -> Samples {
        let samples = Samples()
        let cursor = Cursor(count: deliveries.count)
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .seconds(seconds)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while clock.now < end, let index = await cursor.next() {
                        await send(deliveries[index], client: client, base: base, into: samples)
                    }
                }
            }
        }
        await samples.finish(elapsed: clock.now - start)
        if await cursor.exhausted {
            print("note: all \(deliveries.count) pre-signed deliveries were used before the time was up")
        }
        return samples
    }

    private static func send(_ delivery: SignedDelivery, client: HTTPClient, base: String, into samples: Samples) async
    {
        var request = HTTPClientRequest(url: base + "/event")
        request.method = .POST
        for header in delivery.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(data: delivery.body))
        let clock = ContinuousClock()
        let sent = clock.now
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 16)
            await samples.record(latency: clock.now - sent, status: Int(response.status.code))
        } catch {
            await samples.record(latency: clock.now - sent, status: 0, error: "\(error)")
        }
    }
}

/// Hands out delivery indexes to closed-loop clients.
actor Cursor {
    private var position = 0
    private let count: Int
    init(count: Int) { self.count = count }
    var exhausted: Bool { position >= count }
    func next() -> Int? {
        guard position < count else { return nil }
        defer { position += 1 }
        return position
    }
}

/// Client-side latencies and statuses of one run.
actor Samples {
    private(set) var latencies: [Duration] = []
    private(set) var statuses: [Int: Int] = [:]
    private(set) var elapsed: Duration = .zero
    /// Client-side failures (status 0), by error text.
    private(set) var errors: [String: Int] = [:]

    func record(latency: Duration, status: Int, error: String? = nil) {
        latencies.append(latency)
        statuses[status, default: 0] += 1
        if let error { errors[error, default: 0] += 1 }
    }

    func finish(elapsed: Duration) {
        self.elapsed = elapsed
        latencies.sort()
    }
}
