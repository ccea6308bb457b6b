import CGlobalExecutor
import NIOCore
import NIOPosix

/// Runs every task of the process on the event loops that the HTTP server and the SQS client already share, instead
/// of hopping to Swift's global pool and back for each delivery (profiled: the pool's threads took over half of the
/// receiver's context switches, about 18 per delivery at 500 deliveries/s).
///
/// NIO offers this as `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`, but it finds
/// the runtime's hook with `dlsym`, which a `--static-swift-stdlib` binary does not export: there it returned false
/// and changed nothing. `CGlobalExecutor` links against the hook instead.
enum EventLoopGlobalExecutor {
    /// Call first in `main`, before any task is started. False when another hook was installed first.
    static func install() -> Bool {
        cglobalexecutor_install { job in
            // `any()` is sticky: called on one of the group's loops it returns that loop, so a task that resumes
            // after I/O stays on the loop that did the I/O.
            let loop = MultiThreadedEventLoopGroup.singleton.any()
            (loop as! any SerialExecutor).enqueue(ExecutorJob(unsafeBitCast(job, to: UnownedJob.self)))
        }
    }
}
