import MetricNames
import Metrics

/// The Bot API's counters, under the names and label sets of `MetricName`:
/// `botAPICalls` (labels `method`: every request sent, retries included), `botAPIErrors` (`method`,
/// `kind` = `TelegramError.kind`) and `botAPIRetries` (`method`, `reason`: the error kind that caused it).
public struct TelegramMetrics: Sendable {
    /// Nil: the factory `MetricsSystem.bootstrap` installed (tests pass their own).
    private let factory: (any MetricsFactory)?

    public init(factory: (any MetricsFactory)? = nil) {
        self.factory = factory
    }

    func recordCall(method: String) {
        counter(MetricName.botAPICalls, [("method", method)]).increment()
    }

    func recordError(_ error: TelegramError) {
        counter(MetricName.botAPIErrors, [("method", error.method), ("kind", error.kind)]).increment()
    }

    func recordRetry(method: String, reason: String) {
        counter(MetricName.botAPIRetries, [("method", method), ("reason", reason)]).increment()
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        if let factory { return Counter(label: label, dimensions: dimensions, factory: factory) }
        return Counter(label: label, dimensions: dimensions)
    }
}
