import CoreMetrics
import MetricNames
import Prometheus

/// swift-metrics → Prometheus: one registry for the process, rendered by `/metrics`.
public enum PrometheusMetrics {
    /// A factory over `registry` with the project's histogram buckets and label discipline.
    public static func makeFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[MetricName.checkDuration] = MetricName.checkDurationBuckets
        factory.nameAndLabelSanitizer = { name, labels in (name, normalizedLabels(for: name, labels)) }
        return factory
    }

    /// Bootstraps swift-metrics with Prometheus the first time it is called; every call returns the
    /// same registry. `MetricsSystem.bootstrap` may run only once per process, hence the static.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        bootstrappedRegistry
    }

    private static let bootstrappedRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(makeFactory(registry: registry))
        return registry
    }()

    /// A known metric always gets exactly its declared labels (missing ones as "unknown", extra ones
    /// dropped): the registry crashes the process on a name seen with two different label sets.
    static func normalizedLabels(for name: String, _ labels: [(String, String)]) -> [(String, String)] {
        guard let declared = MetricName.labels[name] else { return labels }
        return declared.map { key in (key, labels.first { $0.0 == key }?.1 ?? "unknown") }
    }
}
