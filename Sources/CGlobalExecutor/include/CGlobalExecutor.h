#ifndef CGLOBALEXECUTOR_H
#define CGLOBALEXECUTOR_H

#include <stdbool.h>

/// Sends every job Swift would run on its global concurrency executor to `enqueue` instead, through the hook the
/// Swift runtime keeps for this purpose (`swift_task_enqueueGlobal_hook`).
///
/// Why not NIO's `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`: it finds the hook
/// with `dlsym`, and a `--static-swift-stdlib` binary does not export it, so there it silently does nothing. Linking
/// against the symbol works for static and dynamic standard libraries alike.
///
/// Returns false, changing nothing, when a hook is already installed.
bool cglobalexecutor_install(void (*enqueue)(void *job));

#endif
