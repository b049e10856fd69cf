import Metrics

/// The Bot API's counters. The errors counter is Health's `MetricName.botAPIErrors` (repeated
/// here: this module must not depend on the HTTP server); each name always carries the same labels,
/// which swift-prometheus requires.
public struct TelegramMetrics: Sendable {
    /// Counter, labels `method`: every request sent, retries included.
    public static let callsLabel = "uptimebot_bot_api_calls_total"
    /// Counter, labels `method`, `kind` (`TelegramError.kind`): every failed request.
    public static let errorsLabel = "uptimebot_bot_api_errors_total"
    /// Counter, labels `method`, `reason` (the error kind that caused it): every repeat decided on.
    public static let retriesLabel = "uptimebot_bot_api_retries_total"

    /// Nil: the factory `MetricsSystem.bootstrap` installed (tests pass their own).
    private let factory: (any MetricsFactory)?

    public init(factory: (any MetricsFactory)? = nil) {
        self.factory = factory
    }

    func recordCall(method: String) {
        counter(Self.callsLabel, [("method", method)]).increment()
    }

    func recordError(_ error: TelegramError) {
        counter(Self.errorsLabel, [("method", error.method), ("kind", error.kind)]).increment()
    }

    func recordRetry(method: String, reason: String) {
        counter(Self.retriesLabel, [("method", method), ("reason", reason)]).increment()
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        if let factory { return Counter(label: label, dimensions: dimensions, factory: factory) }
        return Counter(label: label, dimensions: dimensions)
    }
}
