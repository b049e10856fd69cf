/// How the bot asks Telegram for updates.
public struct LongPollingConfiguration: Sendable, Hashable {
    /// How long Telegram may hold a getUpdates open when there is nothing new (whole seconds).
    public var timeout: Duration
    /// Updates per answer, 1...100.
    public var limit: Int
    public var allowedUpdates: [UpdateKind]
    /// Backoff between failed polls; the poller never gives up on transient failures, so
    /// `maxAttempts` is not used.
    public var backoff: RetryPolicy

    public init(
        timeout: Duration = .seconds(25), limit: Int = 100,
        allowedUpdates: [UpdateKind] = [.message, .callbackQuery],
        backoff: RetryPolicy = RetryPolicy(initialBackoff: .seconds(1), maxBackoff: .seconds(30))
    ) {
        self.timeout = timeout
        self.limit = min(100, max(1, limit))
        self.allowedUpdates = allowedUpdates
        self.backoff = backoff
    }

    var timeoutSeconds: Int { max(0, Int(timeout.components.seconds)) }
}
