import Foundation
import Receiver
import TestSupport
import Testing

/// Memory returns after load (issue 13): once a burst of connections is over, the receiver hands the heap's free
/// pages back to the operating system. Judged by the release being made; what it gives back is measured by
/// Benchmarks/bench-hostile.sh, not here.
@Suite(.timeLimit(.minutes(3))) struct HeapReleaseTests {
    @Test func freeMemoryIsReturnedOnceABurstOfConnectionsIsOver() async throws {
        var setup = ReceiverSetup()
        setup.backend = .embedded
        setup.settingsEdit = {
            $0.limits.burstConnections = 12
            $0.limits.burstSettle = .milliseconds(200)
        }
        try await ReceiverHarness.runServing(setup) { receiver, fixture in
            let heap = try #require(fixture.application?.heapRelease)
            // The harness's readiness checks open a connection or two: no burst.
            let before = heap.releases
            var burst: [RawConnection] = []
            for _ in 0..<16 {
                let connection = try RawConnection(port: receiver.port)
                connection.send("GET /health/live HTTP/1.1\r\nHost: receiver\r\n\r\n")
                burst.append(connection)
            }
            for connection in burst {
                #expect(try await connection.waitForAnswer(containing: "alive", timeout: .seconds(30)))
            }
            #expect(heap.releases == before)
            burst.forEach { $0.close() }
            #expect(try await eventually(timeout: .seconds(30)) { heap.releases == before + 1 })
        }
    }
}
