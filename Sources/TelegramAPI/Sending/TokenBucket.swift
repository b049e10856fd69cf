/// A token bucket that hands out reservations: a caller takes a token now even when none is left
/// and is told how long to wait for it. Waiters therefore line up in reservation order, and the
/// lock around a bucket is held for arithmetic only, never across the wait.
struct TokenBucket: Sendable {
    let ratePerSecond: Double
    let burst: Double
    private var tokens: Double
    private var updatedAt: ContinuousClock.Instant

    init(ratePerSecond: Double, burst: Int, now: ContinuousClock.Instant) {
        self.ratePerSecond = ratePerSecond
        self.burst = Double(max(1, burst))
        self.tokens = self.burst
        self.updatedAt = now
    }

    /// Takes one token; returns how long to wait before using it (zero when one was available).
    mutating func reserve(now: ContinuousClock.Instant) -> Duration {
        refill(now: now)
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .seconds(-tokens / ratePerSecond)
    }

    /// How long until a whole token is free, without reserving one (zero: one is free now).
    /// Reservations already handed out come first: a bucket in debt makes this wait.
    mutating func timeUntilToken(now: ContinuousClock.Instant) -> Duration {
        refill(now: now)
        return tokens >= 1 ? .zero : .seconds((1 - tokens) / ratePerSecond)
    }

    /// Takes a token known to be free (after `timeUntilToken` returned zero).
    mutating func take(now: ContinuousClock.Instant) {
        refill(now: now)
        tokens -= 1
    }

    /// Moves the bucket's clock so nothing is handed out before `until` (a 429's retry_after).
    mutating func block(until: ContinuousClock.Instant, now: ContinuousClock.Instant) {
        refill(now: now)
        let waitSeconds = max(0, (until - now).seconds)
        tokens = min(tokens, -waitSeconds * ratePerSecond + 1)
    }

    /// Whether the bucket is full at `now`, i.e. forgetting it changes nothing.
    func isFull(now: ContinuousClock.Instant) -> Bool {
        tokens + (now - updatedAt).seconds * ratePerSecond >= burst
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        guard now > updatedAt else { return }
        tokens = min(burst, tokens + (now - updatedAt).seconds * ratePerSecond)
        updatedAt = now
    }
}
