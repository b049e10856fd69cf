import Synchronization

/// The global bucket plus one bucket per chat. Per-chat buckets are created on first use and
/// swept once full again, so a bot that has talked to a million chats keeps only the active ones.
final class SendRateLimiter: Sendable {
    private struct State {
        var global: TokenBucket
        var chats: [Int64: TokenBucket] = [:]
        var lastSweep: ContinuousClock.Instant
    }

    let limits: SendRateLimits
    private let state: Mutex<State>
    private let clock = ContinuousClock()

    init(limits: SendRateLimits) {
        self.limits = limits
        let now = clock.now
        state = Mutex(
            State(
                global: TokenBucket(ratePerSecond: limits.globalPerSecond, burst: limits.globalBurst, now: now),
                lastSweep: now
            ))
    }

    /// Reserves a token in the chat's bucket (when there is a chat) and in the global one;
    /// returns how long the caller waits before sending: until both tokens are due. Both are taken
    /// now, so a global token may sit unused while its chat waits: that errs on the slow side,
    /// never over Telegram's limit.
    func reserve(chat: Int64?) -> Duration {
        let now = clock.now
        return state.withLock { state in
            var chatWait = Duration.zero
            if let chat {
                var bucket =
                    state.chats[chat]
                    ?? TokenBucket(ratePerSecond: limits.perChatPerSecond, burst: limits.perChatBurst, now: now)
                chatWait = bucket.reserve(now: now)
                state.chats[chat] = bucket
                sweepIfDue(&state, now: now)
            }
            let globalWait = state.global.reserve(now: now)
            return max(chatWait, globalWait)
        }
    }

    /// For bulk sends (alert fan-out), which must never push a reply back: takes the chat's and the
    /// global token only when both are free now and returns nil; otherwise takes nothing and returns
    /// how long to wait before asking again. Replies `reserve` ahead, so they always go first.
    func takeIfFree(chat: Int64) -> Duration? {
        let now = clock.now
        return state.withLock { state in
            var bucket =
                state.chats[chat]
                ?? TokenBucket(ratePerSecond: limits.perChatPerSecond, burst: limits.perChatBurst, now: now)
            let wait = max(bucket.timeUntilToken(now: now), state.global.timeUntilToken(now: now))
            if wait == .zero {
                bucket.take(now: now)
                state.global.take(now: now)
            }
            state.chats[chat] = bucket
            sweepIfDue(&state, now: now)
            return wait == .zero ? nil : wait
        }
    }

    /// After a 429 for this chat (or globally when nil): nothing more goes there before `until`.
    func block(chat: Int64?, until: ContinuousClock.Instant) {
        let now = clock.now
        state.withLock { state in
            if let chat {
                var bucket =
                    state.chats[chat]
                    ?? TokenBucket(ratePerSecond: limits.perChatPerSecond, burst: limits.perChatBurst, now: now)
                bucket.block(until: until, now: now)
                state.chats[chat] = bucket
            } else {
                state.global.block(until: until, now: now)
            }
        }
    }

    /// Chats currently tracked; for tests of the sweep.
    var trackedChats: Int { state.withLock { $0.chats.count } }

    private func sweepIfDue(_ state: inout State, now: ContinuousClock.Instant) {
        guard state.chats.count > 1024, now - state.lastSweep > .seconds(10) else { return }
        state.lastSweep = now
        state.chats = state.chats.filter { !$0.value.isFull(now: now) }
    }
}
