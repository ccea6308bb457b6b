#include "CGlobalExecutor.h"

#include <stddef.h>

// The runtime's types (swift/Runtime/Concurrency.h): the hook and the original are Swift-convention functions.
typedef __attribute__((swiftcall)) void (*cglobalexecutor_original)(void *job);
typedef __attribute__((swiftcall)) void (*cglobalexecutor_hook)(void *job, cglobalexecutor_original original);

extern cglobalexecutor_hook swift_task_enqueueGlobal_hook;

static void (*cglobalexecutor_target)(void *job);

__attribute__((swiftcall)) static void cglobalexecutor_forward(void *job, cglobalexecutor_original original) {
    (void)original;
    cglobalexecutor_target(job);
}

bool cglobalexecutor_install(void (*enqueue)(void *job)) {
    cglobalexecutor_hook expected = NULL;
    cglobalexecutor_target = enqueue;
    return __atomic_compare_exchange_n(
        &swift_task_enqueueGlobal_hook, &expected, cglobalexecutor_forward, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
