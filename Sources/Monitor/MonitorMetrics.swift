import Checks
import MetricNames
import Metrics

/// The monitor's metrics, through swift-metrics, under the names and label sets of `MetricName`.
struct MonitorMetrics: Sendable {

    private let runs: [CheckTarget.Kind: Counter]
    private let failures: [CheckTarget.Kind: Counter]
    private let durations: [CheckTarget.Kind: Timer]
    private let up = Gauge(label: MetricName.monitorsUp)
    private let down = Gauge(label: MetricName.monitorsDown)

    init() {
        var runs: [CheckTarget.Kind: Counter] = [:]
        var failures: [CheckTarget.Kind: Counter] = [:]
        var durations: [CheckTarget.Kind: Timer] = [:]
        for kind in CheckTarget.Kind.allCases {
            runs[kind] = Counter(label: MetricName.checksRun, dimensions: [("kind", kind.rawValue)])
            failures[kind] = Counter(label: MetricName.checkFailures, dimensions: [("kind", kind.rawValue)])
            durations[kind] = Timer(label: MetricName.checkDuration, dimensions: [("kind", kind.rawValue)])
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
    private let depth = Gauge(label: MetricName.outboxDepth)
    private let sentDown = Counter(label: MetricName.alertsSent, dimensions: [("transition", "down")])
    private let sentUp = Counter(label: MetricName.alertsSent, dimensions: [("transition", "up")])

    func recordDepth(_ pending: Int) { depth.record(pending) }

    /// `reason`: `unreachable_expired` (kept a day for an owner who blocked the bot), `refused` (Telegram said no).
    func recordGivenUp(reason: String) {
        Counter(label: MetricName.notificationsGivenUp, dimensions: [("reason", reason)]).increment()
    }

    /// `reason`: `unreachable` | `muted`: notifications kept back for their owner.
    func recordHeld(reason: String) {
        Counter(label: MetricName.notificationsHeld, dimensions: [("reason", reason)]).increment()
    }

    func recordAlertSent(transition: String) {
        switch transition {
        case "down": sentDown.increment()
        case "up": sentUp.increment()
        default: break
        }
    }
}
