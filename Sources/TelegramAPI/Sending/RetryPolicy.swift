import Foundation

/// How many times and how patiently a failed call is repeated: exponential backoff with jitter
/// for 5xx and network failures, Telegram's own `retry_after` for 429.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all for 5xx and network failures (1 = never retry).
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    public var multiplier: Double
    /// Fraction of each backoff that is random (0...1): 0.5 waits between half and the full
    /// backoff, so many chats failing together do not come back in lockstep.
    public var jitter: Double
    /// 429 answers waited out per call before giving up: they are Telegram saying "later", not
    /// "no", so they are counted apart from `maxAttempts`.
    public var maxRateLimitWaits: Int
    /// Longest `retry_after` honoured; a larger one fails the call so the caller (the outbox) can
    /// keep the message instead of holding a chat for minutes.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 6, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30),
        multiplier: Double = 2, jitter: Double = 0.5, maxRateLimitWaits: Int = 10,
        maxRetryAfter: Duration = .seconds(300)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = max(1, multiplier)
        self.jitter = min(1, max(0, jitter))
        self.maxRateLimitWaits = max(0, maxRateLimitWaits)
        self.maxRetryAfter = maxRetryAfter
    }

    /// About 6 attempts over ~30 s: enough for a Telegram hiccup or a proxy restart.
    public static let `default` = RetryPolicy()

    public static let never = RetryPolicy(maxAttempts: 1, maxRateLimitWaits: 0)

    /// The wait after failed attempt number `attempt` (1-based).
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let full = min(maxBackoff.seconds, initialBackoff.seconds * pow(multiplier, exponent))
        let random = Double.random(in: 0...1)
        return .seconds(full * (1 - jitter) + full * jitter * random)
    }
}
