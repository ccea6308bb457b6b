import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on `<job log>.lease`, held by the worker task that writes that job log
/// for as long as it runs. The kernel (or, on EFS, the NFS server once the client's lease lapses) drops it when the
/// process ends however it ends, so "nobody holds the lease" is what "the task is gone" means.
final class JobLogLease: Sendable {
    let path: String
    private let descriptor: Int32
    private let released = Mutex(false)

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    static func path(for jobLogPath: String) -> String { jobLogPath + ".lease" }

    /// Takes the lease of the job log at `jobLogPath` without waiting; nil when another holder has it (another
    /// process, or another open of the same log in this one) or the file cannot be created.
    static func take(for jobLogPath: String) -> JobLogLease? {
        let path = path(for: jobLogPath)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            _ = close(descriptor)
            return nil
        }
        return JobLogLease(path: path, descriptor: descriptor)
    }

    /// Gives the lease up; later calls do nothing (the descriptor number may belong to another file by then).
    func release() {
        let first = released.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        _ = flock(descriptor, LOCK_UN)
        _ = close(descriptor)
    }
}
