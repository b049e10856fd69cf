import CoreMetrics
import MetricNames
import Prometheus
import Testing

@testable import Health

@Suite struct HealthServerTests {
    @Test func liveAnswers200WhileRunning() async throws {
        try await withHealthServer(checks: [ReadinessCheck("mongodb") { false }]) { port in
            let response = try await httpGet(port: port, path: "/health/live")
            #expect(response.status == 200)
        }
    }

    @Test func readyAnswers200WhenEveryCheckPasses() async throws {
        let checks = [ReadinessCheck("mongodb") { true }, ReadinessCheck("telegram") { true }]
        try await withHealthServer(checks: checks) { port in
            let response = try await httpGet(port: port, path: "/health/ready")
            #expect(response.status == 200)
            #expect(response.body == #"{"mongodb":true,"telegram":true}"#)
            #expect(response.headers["content-type"] == "application/json")
        }
    }

    @Test func readyAnswers503AndNamesTheFailingCheck() async throws {
        let checks = [ReadinessCheck("mongodb") { true }, ReadinessCheck("telegram") { false }]
        try await withHealthServer(checks: checks) { port in
            let response = try await httpGet(port: port, path: "/health/ready")
            #expect(response.status == 503)
            #expect(response.body == #"{"mongodb":true,"telegram":false}"#)
        }
    }

    @Test func readyWithoutChecksIsReady() async throws {
        try await withHealthServer(checks: []) { port in
            let response = try await httpGet(port: port, path: "/health/ready")
            #expect(response.status == 200)
            #expect(response.body == "{}")
        }
    }

    @Test func aCheckThatHangsCountsAsNotReadyAfterItsTimeout() async throws {
        // Ignores cancellation on purpose, like a blocking driver call would.
        let stuck = ReadinessCheck("mongodb", timeout: .milliseconds(200)) {
            let start = ContinuousClock.now
            while start.duration(to: .now) < .seconds(30) { try? await Task.sleep(for: .milliseconds(50)) }
            return true
        }
        try await withHealthServer(checks: [stuck, ReadinessCheck("telegram") { true }]) { port in
            let start = ContinuousClock.now
            let response = try await httpGet(port: port, path: "/health/ready")
            #expect(start.duration(to: .now) < .seconds(15), "long before the stuck check would have finished")
            #expect(response.status == 503)
            #expect(response.body == #"{"mongodb":false,"telegram":true}"#)
        }
    }

    @Test func metricsRendersSwiftMetricsInPrometheusTextFormat() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetrics.makeFactory(registry: registry)
        Counter(label: MetricName.checksRun, dimensions: [("kind", "icmp")], factory: factory).increment(by: 3)
        Timer(label: MetricName.checkDuration, dimensions: [("kind", "http")], factory: factory)
            .recordMilliseconds(120)
        Gauge(label: MetricName.monitorsDown, factory: factory).record(2)

        try await withHealthServer(checks: [], registry: registry) { port in
            let response = try await httpGet(port: port, path: "/metrics")
            #expect(response.status == 200)
            #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(response.body.contains(#"uptimebot_checks_total{kind="icmp"} 3"#))
            #expect(response.body.contains("# TYPE uptimebot_check_duration_seconds histogram"))
            #expect(response.body.contains(#"uptimebot_check_duration_seconds_bucket{kind="http",le="0.25"} 1"#))
            #expect(response.body.contains(#"uptimebot_check_duration_seconds_bucket{kind="http",le="0.1"} 0"#))
            #expect(response.body.contains("uptimebot_monitors_down 2"))
        }
    }

    @Test func unknownPathsAnswer404() async throws {
        try await withHealthServer(checks: []) { port in
            let response = try await httpGet(port: port, path: "/nope")
            #expect(response.status == 404)
        }
    }
}

@Suite struct PrometheusMetricsTests {
    @Test func aKnownMetricAlwaysGetsItsDeclaredLabels() {
        // Without normalisation the registry would crash on the second, label-less use of the name.
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetrics.makeFactory(registry: registry)
        Counter(label: MetricName.botAPICalls, dimensions: [("method", "getUpdates")], factory: factory).increment()
        Counter(label: MetricName.botAPICalls, factory: factory).increment()
        Counter(
            label: MetricName.botAPICalls, dimensions: [("method", "sendMessage"), ("extra", "x")], factory: factory
        )
        .increment()
        Counter(
            label: MetricName.botAPIErrors, dimensions: [("kind", "server"), ("method", "sendMessage")],
            factory: factory
        ).increment()

        let text = registry.emitToString()
        #expect(text.contains(#"uptimebot_bot_api_calls_total{method="getUpdates"} 1"#))
        #expect(text.contains(#"uptimebot_bot_api_calls_total{method="unknown"} 1"#))
        #expect(text.contains(#"uptimebot_bot_api_calls_total{method="sendMessage"} 1"#))
        #expect(text.contains(#"uptimebot_bot_api_errors_total{method="sendMessage",kind="server"} 1"#))
        #expect(!text.contains("extra"))
    }

    @Test func unknownMetricsKeepTheirLabels() {
        let registry = PrometheusCollectorRegistry()
        Counter(
            label: "other_total", dimensions: [("a", "b")], factory: PrometheusMetrics.makeFactory(registry: registry)
        )
        .increment()
        #expect(registry.emitToString().contains(#"other_total{a="b"} 1"#))
    }

    @Test func everyMetricNameDeclaresItsLabels() {
        #expect(Set(MetricName.all).count == MetricName.all.count)
        #expect(Set(MetricName.labels.keys) == Set(MetricName.all))
    }
}

@Suite struct HeartbeatTests {
    @Test func isStaleUntilTheFirstBeatAndFreshRightAfterIt() async {
        let heartbeat = Heartbeat()
        #expect(!heartbeat.isFresh(maxAge: .seconds(60)))
        heartbeat.beat()
        #expect(heartbeat.isFresh(maxAge: .seconds(60)))
        #expect(await ReadinessCheck.recent("telegram", heartbeat: heartbeat, maxAge: .seconds(60)).evaluate())
    }

    @Test func goesStaleAfterMaxAge() async throws {
        let heartbeat = Heartbeat()
        heartbeat.beat()
        try await Task.sleep(for: .milliseconds(60))
        #expect(!heartbeat.isFresh(maxAge: .milliseconds(50)))
    }
}
