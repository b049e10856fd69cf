import Metrics

/// The Bot API's counters. Names follow Prometheus conventions so the Health module exports them as is.
enum TelegramMetrics {
    static let callsLabel = "uptimebot_telegram_calls_total"
    static let errorsLabel = "uptimebot_telegram_errors_total"
    static let retriesLabel = "uptimebot_telegram_retries_total"

    /// Every request sent, including retries.
    static func recordCall(method: String) {
        Counter(label: callsLabel, dimensions: [("method", method)]).increment()
    }

    /// Every failed request, by method and `TelegramError.kind`.
    static func recordError(_ error: TelegramError) {
        Counter(label: errorsLabel, dimensions: [("method", error.method), ("kind", error.kind)]).increment()
    }

    /// Every repeat the sender or poller decided on, by the reason.
    static func recordRetry(method: String, reason: String) {
        Counter(label: retriesLabel, dimensions: [("method", method), ("reason", reason)]).increment()
    }
}
