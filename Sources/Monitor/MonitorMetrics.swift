import Checks
import Metrics

/// The monitor's metrics, through swift-metrics. Names and label sets must be exactly those of
/// `Health.MetricName` (Prometheus refuses one name with two label sets); they are repeated here
/// because this module does not depend on Health.
struct MonitorMetrics: Sendable {
    static let checksRun = "uptimebot_checks_total"
    static let checkFailures = "uptimebot_check_failures_total"
    static let checkDuration = "uptimebot_check_duration_seconds"
    static let monitorsUp = "uptimebot_monitors_up"
    static let monitorsDown = "uptimebot_monitors_down"
    static let outboxDepth = "uptimebot_outbox_depth"
    static let alertsSent = "uptimebot_alerts_sent_total"

    private let runs: [CheckTarget.Kind: Counter]
    private let failures: [CheckTarget.Kind: Counter]
    private let durations: [CheckTarget.Kind: Timer]
    private let up = Gauge(label: MonitorMetrics.monitorsUp)
    private let down = Gauge(label: MonitorMetrics.monitorsDown)

    init() {
        var runs: [CheckTarget.Kind: Counter] = [:]
        var failures: [CheckTarget.Kind: Counter] = [:]
        var durations: [CheckTarget.Kind: Timer] = [:]
        for kind in CheckTarget.Kind.allCases {
            runs[kind] = Counter(label: Self.checksRun, dimensions: [("kind", kind.rawValue)])
            failures[kind] = Counter(label: Self.checkFailures, dimensions: [("kind", kind.rawValue)])
            durations[kind] = Timer(label: Self.checkDuration, dimensions: [("kind", kind.rawValue)])
        }
        self.runs = runs
        self.failures = failures
        self.durations = durations
    }

    func recordCheck(_ result: TargetCheckResult, took duration: Duration) {
        let kind = result.target.kind
        runs[kind]?.increment()
        if !result.ok { failures[kind]?.increment() }
        let (seconds, attoseconds) = duration.components
        durations[kind]?.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func recordStatusCounts(up: Int, down: Int) {
        self.up.record(up)
        self.down.record(down)
    }
}

/// The outbox sender's metrics (same naming rule as `MonitorMetrics`).
struct OutboxMetrics: Sendable {
    private let depth = Gauge(label: MonitorMetrics.outboxDepth)
    private let sentDown = Counter(label: MonitorMetrics.alertsSent, dimensions: [("transition", "down")])
    private let sentUp = Counter(label: MonitorMetrics.alertsSent, dimensions: [("transition", "up")])

    func recordDepth(_ pending: Int) { depth.record(pending) }

    func recordAlertSent(transition: String) {
        switch transition {
        case "down": sentDown.increment()
        case "up": sentUp.increment()
        default: break
        }
    }
}
