/// The in-process part of "never two jobs of the same entry at once": messages waiting or running, grouped by key
/// (the FIFO message group, i.e. entry id or canvas id).
///
/// SQS may hand several messages of one group to one receive batch, and a batch may mix groups. The backlog admits
/// each message under its key; only the first message of an idle key asks the caller to start a drainer, and that
/// drainer takes the key's later messages one after another, in arrival order. `outstanding` counts waiting plus
/// running messages, so the consumer receives only while it has room and never holds more messages than it may
/// work on (a held message's visibility timeout is ticking).
actor KeyedBacklog<Item: Sendable> {
    private var waiting: [String: [Item]] = [:]
    private(set) var outstanding = 0
    private var capacityWaiters: [(id: Int, limit: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var idleWaiters: [(id: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextWaiterId = 0

    /// Admits `item` under `key`. Returns true when the key was idle: the caller must start a drainer that
    /// processes `item` and then calls `next(after:)` until it returns nil.
    func admit(_ item: Item, key: String) -> Bool {
        outstanding += 1
        if waiting[key] != nil {
            waiting[key]!.append(item)
            return false
        }
        waiting[key] = []
        return true
    }

    /// Marks one item of `key` done and hands out the key's next waiting item, or nil (the key becomes idle).
    func next(after key: String) -> Item? {
        outstanding -= 1
        defer { wakeWaiters() }
        guard var queue = waiting[key] else { return nil }
        if queue.isEmpty {
            waiting[key] = nil
            return nil
        }
        let item = queue.removeFirst()
        waiting[key] = queue
        return item
    }

    /// Removes every item still waiting (not running), for hand-back at shutdown; their keys' drainers then stop
    /// after their current item.
    func takeAllWaiting() -> [Item] {
        var taken: [Item] = []
        for key in waiting.keys {
            taken += waiting[key]!
            outstanding -= waiting[key]!.count
            waiting[key] = []
        }
        wakeWaiters()
        return taken
    }

    /// Returns once fewer than `limit` items are outstanding (or at once when the task is cancelled).
    func waitForRoom(limit: Int) async {
        if outstanding < limit { return }
        let id = makeWaiterId()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if outstanding < limit || Task.isCancelled {
                    continuation.resume()
                } else {
                    capacityWaiters.append((id, limit, continuation))
                }
            }
        } onCancel: {
            Task { await self.release(id: id) }
        }
    }

    /// Returns once nothing is outstanding (or at once when the task is cancelled).
    func waitUntilIdle() async {
        if outstanding == 0 { return }
        let id = makeWaiterId()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if outstanding == 0 || Task.isCancelled {
                    continuation.resume()
                } else {
                    idleWaiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.release(id: id) }
        }
    }

    private func makeWaiterId() -> Int {
        nextWaiterId += 1
        return nextWaiterId
    }

    private func release(id: Int) {
        if let index = capacityWaiters.firstIndex(where: { $0.id == id }) {
            capacityWaiters.remove(at: index).continuation.resume()
        }
        if let index = idleWaiters.firstIndex(where: { $0.id == id }) {
            idleWaiters.remove(at: index).continuation.resume()
        }
    }

    private func wakeWaiters() {
        let ready = capacityWaiters.filter { outstanding < $0.limit }
        capacityWaiters.removeAll { outstanding < $0.limit }
        for waiter in ready { waiter.continuation.resume() }
        if outstanding == 0 {
            let idle = idleWaiters
            idleWaiters.removeAll()
            for waiter in idle { waiter.continuation.resume() }
        }
    }
}
