import Synchronization

/// Runs work for one key (a Telegram user, a chat, a conversation) strictly one item at a time, in the
/// order it arrived, while different keys run in parallel. Work comes two ways: `submit` queues it and
/// returns at once (the dispatcher), `acquire`/`release` or `exclusively` wait for the key's turn inside
/// the caller's task (the sender, the FSM cache). A key's entry is dropped as soon as its last item
/// finishes, so idle keys cost nothing (aiogram's per-key locks are never freed).
public final class KeyedSerialQueue<Key: Hashable & Sendable>: Sendable {
    /// One item waiting for its key's turn.
    private enum Waiter {
        /// Submitted work: started in a task of its own when its turn comes.
        case work(@Sendable () async -> Void)
        /// A caller suspended in `acquire`: resumed when its turn comes.
        case caller(CheckedContinuation<Void, Never>)
    }

    /// A key with an item running; the items waiting behind it, first at `head`.
    private struct Line {
        var waiting: [Waiter] = []
        var head = 0

        mutating func next() -> Waiter? {
            guard head < waiting.count else { return nil }
            let next = waiting[head]
            head += 1
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: false)
                head = 0
            }
            return next
        }
    }

    private struct State {
        var lines: [Key: Line] = [:]
        var inFlight = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Queues `work` behind everything already queued for `key`; returns at once.
    public func submit(_ key: Key, _ work: @escaping @Sendable () async -> Void) {
        let runNow = state.withLock { state -> Bool in
            state.inFlight += 1
            guard state.lines[key] != nil else {
                state.lines[key] = Line()
                return true
            }
            state.lines[key]?.waiting.append(.work(work))
            return false
        }
        if runNow { start(key, work) }
    }

    /// Waits until every earlier item for `key` is done; the key is then the caller's until `release(key)`.
    public func acquire(_ key: Key) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let runNow = state.withLock { state -> Bool in
                state.inFlight += 1
                guard state.lines[key] != nil else {
                    state.lines[key] = Line()
                    return true
                }
                state.lines[key]?.waiting.append(.caller(continuation))
                return false
            }
            if runNow { continuation.resume() }
        }
    }

    /// Ends the turn `acquire(key)` began: hands the key to the next item, or forgets the key when none waits.
    public func release(_ key: Key) {
        let (next, idle) = state.withLock { state -> (Waiter?, [CheckedContinuation<Void, Never>]) in
            state.inFlight -= 1
            let next = state.lines[key]?.next()
            if next == nil { state.lines[key] = nil }
            guard state.inFlight == 0 else { return (next, []) }
            defer { state.idleWaiters = [] }
            return (next, state.idleWaiters)
        }
        switch next {
        case .work(let work): start(key, work)
        case .caller(let continuation): continuation.resume()
        case nil: break
        }
        for waiter in idle { waiter.resume() }
    }

    /// Runs `body` in `key`'s turn.
    public func exclusively<T>(_ key: Key, _ body: () async throws -> T) async rethrows -> T {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    private func start(_ key: Key, _ work: @escaping @Sendable () async -> Void) {
        Task {
            await work()
            self.release(key)
        }
    }

    /// Items queued or running, over all keys.
    public var inFlight: Int { state.withLock { $0.inFlight } }
    /// Keys with queued or running work (idle keys are forgotten).
    public var activeKeys: Int { state.withLock { $0.lines.count } }

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
