import Synchronization

/// Runs work for one key (a Telegram user) strictly one item at a time, in submission order, while
/// different keys run in parallel. A key's entry is dropped as soon as its last item finishes, so
/// idle users cost nothing (aiogram's per-user locks are never freed).
public final class KeyedSerialQueue<Key: Hashable & Sendable>: Sendable {
    private struct Entry {
        var tail: Task<Void, Never>
        var pending: Int
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var inFlight = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Queues `work` behind everything already queued for `key`; returns at once.
    public func submit(_ key: Key, _ work: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            let previous = state.entries[key]?.tail
            let task = Task {
                await previous?.value
                await work()
                self.finished(key)
            }
            state.entries[key] = Entry(tail: task, pending: (state.entries[key]?.pending ?? 0) + 1)
            state.inFlight += 1
        }
    }

    private func finished(_ key: Key) {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.inFlight -= 1
            if var entry = state.entries[key] {
                entry.pending -= 1
                state.entries[key] = entry.pending == 0 ? nil : entry
            }
            guard state.inFlight == 0 else { return [] }
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Items queued or running, over all keys.
    public var inFlight: Int { state.withLock { $0.inFlight } }
    /// Keys with queued or running work (idle keys are forgotten).
    public var activeKeys: Int { state.withLock { $0.entries.count } }

    /// Returns once nothing is queued or running: how shutdown finishes in-flight work.
    public func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                if state.inFlight == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
