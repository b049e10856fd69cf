/// An answer the fake gives instead of the normal one, on demand (`failNext`).
public enum FakeFailure: Sendable, Hashable {
    /// 429 with `parameters.retry_after`.
    case tooManyRequests(retryAfter: Int)
    /// A 5xx with Telegram's JSON envelope.
    case serverError(status: Int = 502)
    /// A 5xx with an HTML body, as a proxy in between answers.
    case proxyErrorPage(status: Int = 503)
    /// 403, by default "bot was blocked by the user".
    case forbidden(description: String = "Forbidden: bot was blocked by the user")
    /// 400 with this description.
    case badRequest(description: String)
    /// Wait this long, then answer normally: a slow Telegram.
    case delay(Duration)
}

/// `count` more requests of `method` (any method when nil) get `failure`.
struct FailureRule: Sendable {
    var method: String?
    var remaining: Int
    var failure: FakeFailure
}
