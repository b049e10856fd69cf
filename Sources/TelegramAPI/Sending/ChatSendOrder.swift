import Synchronization

/// First come, first served, one call at a time per chat: a message that waits for a rate-limit
/// slot or a retry keeps the messages after it waiting, so a chat never sees them out of order.
/// A chat's entry exists only while a call for it is in flight (aiogram's per-key locks were
/// never freed).
final class ChatSendOrder: Sendable {
    private struct Queue {
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    private let queues = Mutex<[Int64: Queue]>([:])

    /// Waits until every earlier call for `chat` is done. Pair with `release(chat:)`.
    func acquire(chat: Int64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let runNow = queues.withLock { queues -> Bool in
                if queues[chat] == nil {
                    queues[chat] = Queue()
                    return true
                }
                queues[chat]?.waiters.append(continuation)
                return false
            }
            if runNow { continuation.resume() }
        }
    }

    /// Hands the chat to the next waiting call, or forgets the chat when none waits.
    func release(chat: Int64) {
        let next = queues.withLock { queues -> CheckedContinuation<Void, Never>? in
            guard var queue = queues[chat] else { return nil }
            guard queue.head < queue.waiters.count else {
                queues[chat] = nil
                return nil
            }
            let next = queue.waiters[queue.head]
            queue.head += 1
            if queue.head == queue.waiters.count {
                queue.waiters.removeAll(keepingCapacity: false)
                queue.head = 0
            }
            queues[chat] = queue
            return next
        }
        next?.resume()
    }

    /// Chats with a call in flight; for tests that check nothing is kept once idle.
    var activeChats: Int { queues.withLock { $0.count } }
}
