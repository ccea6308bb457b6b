import Logging
import ServiceLifecycle
import Worker

/// The worker's library application as a service in the dev stack's service group: drains the queue until the
/// group shuts down gracefully, then lets running jobs wind down (the same stop path as `worker run`).
struct DevWorkerService: Service {
    let application: WorkerApplication

    func run() async throws {
        await withGracefulShutdownHandler {
            await application.run()
        } onGracefulShutdown: {
            application.requestStop()
        }
    }
}
