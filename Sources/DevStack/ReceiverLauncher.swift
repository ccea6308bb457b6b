import Foundation
import Hummingbird
import Logging
import NIOCore
import Receiver
import ServiceLifecycle

/// Runs the receiver's real library application and reports the port it bound (with port 0, the listener's
/// ephemeral port is only known once it runs).
struct ReceiverLauncher {
    let service: any Service
    let boundPort: BoundPort

    init(settings: ReceiverSettings, logger: Logger) {
        let boundPort = BoundPort()
        self.boundPort = boundPort
        service =
            buildApplication(
                settings: settings, logger: logger,
                onServerRunning: { channel in boundPort.resolve(channel.localAddress?.port) }
            ).application
    }
}

/// A port that becomes known once, awaited by whoever needs it.
final class BoundPort: Sendable {
    private let stream: AsyncStream<Int?>
    private let continuation: AsyncStream<Int?>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Int?.self, bufferingPolicy: .bufferingNewest(1))
    }

    func resolve(_ port: Int?) {
        continuation.yield(port)
        continuation.finish()
    }

    /// The bound port; throws when the server stopped without binding or `timeout` passed.
    func value(timeout: Duration) async throws -> Int {
        try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { [stream] in
                for await port in stream { return port }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DevStackError("the receiver did not start listening within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let port = try await group.next() ?? nil else {
                throw DevStackError("the receiver stopped before listening (is the port in use?)")
            }
            return port
        }
    }
}

/// A dev-stack failure with a message meant for the person running it.
public struct DevStackError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
