import Synchronization

/// A counting semaphore for async code: at most `limit` holders at once, the rest wait in order.
/// Waiting suspends the task (never a thread); a cancelled waiter leaves the queue at once.
public final class ConcurrencyLimit: Sendable {
    private typealias Waiter = CheckedContinuation<Void, any Error>

    private struct State {
        var available: Int
        var nextTicket: UInt64 = 0
        /// Waiters by ticket; tickets grow, so the smallest key is the oldest waiter.
        var waiters: [UInt64: Waiter] = [:]
        var order: [UInt64] = []
        var head = 0

        mutating func popOldest() -> Waiter? {
            while head < order.count {
                let ticket = order[head]
                head += 1
                if let waiter = waiters.removeValue(forKey: ticket) {
                    compact()
                    return waiter
                }
            }
            compact()
            return nil
        }

        /// Drops the consumed front of `order` now and then, so it does not grow without bound.
        mutating func compact() {
            if head > 1024, head * 2 > order.count {
                order.removeFirst(head)
                head = 0
            } else if head == order.count {
                order.removeAll(keepingCapacity: true)
                head = 0
            }
        }
    }

    public let limit: Int
    private let state: Mutex<State>

    public init(limit: Int) {
        self.limit = max(1, limit)
        state = Mutex(State(available: max(1, limit)))
    }

    /// Holders now (for metrics and tests).
    public var inUse: Int { state.withLock { limit - $0.available } }

    /// Waits for a slot; throws when the task is cancelled while waiting (it then holds none).
    public func acquire() async throws(CancellationError) {
        if state.withLock({ state -> Bool in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }) {
            return
        }
        let ticket = state.withLock { state -> UInt64 in
            state.nextTicket += 1
            return state.nextTicket
        }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: Waiter) in
                    enum Outcome { case granted, queued, cancelled }
                    let outcome = state.withLock { state -> Outcome in
                        // A slot may have been released between the fast path and here.
                        if state.available > 0 {
                            state.available -= 1
                            return .granted
                        }
                        // Cancelled before queueing: the cancellation handler found nothing to resume.
                        if Task.isCancelled { return .cancelled }
                        state.waiters[ticket] = continuation
                        state.order.append(ticket)
                        return .queued
                    }
                    switch outcome {
                    case .granted: continuation.resume()
                    case .cancelled: continuation.resume(throwing: CancellationError())
                    case .queued: break
                    }
                }
            } onCancel: {
                let waiter = state.withLock { $0.waiters.removeValue(forKey: ticket) }
                waiter?.resume(throwing: CancellationError())
            }
        } catch {
            throw CancellationError()
        }
    }

    /// Gives a slot back: to the oldest waiter, or to the pool.
    public func release() {
        let next = state.withLock { state -> Waiter? in
            if let waiter = state.popOldest() { return waiter }
            state.available = min(limit, state.available + 1)
            return nil
        }
        next?.resume()
    }
}
