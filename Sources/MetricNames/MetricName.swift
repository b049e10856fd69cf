/// Every metric the bot exports, in one place, with the labels each one always carries.
///
/// swift-prometheus refuses (with a crash) a name used once with labels and once without, or as two
/// kinds of metric; so each name has exactly one kind and one label set, listed here. Emitters use
/// swift-metrics (`Counter(label: MetricName.checksRun, dimensions: [("kind", "icmp")])`), never the
/// Prometheus registry directly.
public enum MetricName {
    /// Counter, labels `kind` (`icmp` | `http`): checks finished, whatever their result.
    public static let checksRun = "uptimebot_checks_total"
    /// Counter, labels `kind`: checks that found the target down (timeout, error, unexpected status).
    public static let checkFailures = "uptimebot_check_failures_total"
    /// Timer (histogram in seconds), labels `kind`: how long one check took.
    public static let checkDuration = "uptimebot_check_duration_seconds"
    /// Gauge, no labels: monitors whose alert state is up.
    public static let monitorsUp = "uptimebot_monitors_up"
    /// Gauge, no labels: monitors whose alert state is down.
    public static let monitorsDown = "uptimebot_monitors_down"
    /// Counter, labels `type` (`message` | `callback_query` | …): Telegram updates handled.
    public static let updatesHandled = "uptimebot_updates_handled_total"
    /// Counter, labels `type`: updates whose handling failed (the user got "something went wrong").
    public static let updatesFailed = "uptimebot_updates_failed_total"
    /// Timer (histogram in seconds), no labels: time to handle one update, storage and replies included.
    public static let updateHandling = "uptimebot_update_handling_seconds"
    /// Counter, labels `method`: Bot API calls made.
    public static let botAPICalls = "uptimebot_bot_api_calls_total"
    /// Counter, labels `method`, `kind` (`too_many_requests`, `server`, `network`, …): failed Bot API calls.
    public static let botAPIErrors = "uptimebot_bot_api_errors_total"
    /// Counter, labels `method`, `reason`: Bot API calls retried.
    public static let botAPIRetries = "uptimebot_bot_api_retries_total"
    /// Gauge, no labels: notifications waiting in the outbox for Telegram.
    public static let outboxDepth = "uptimebot_outbox_depth"
    /// Counter, labels `transition` (`down` | `up`): alerts delivered to owners.
    public static let alertsSent = "uptimebot_alerts_sent_total"
    /// Counter, labels `reason` (`refused`, `unreachable_expired`): notifications the outbox gave up on.
    public static let notificationsGivenUp = "uptimebot_notifications_given_up_total"
    /// Counter, labels `reason` (`unreachable`, `muted`): notifications kept back for their owner.
    public static let notificationsHeld = "uptimebot_notifications_held_total"
    /// Gauge, labels `lease` (`poller` | `outbox`): 1 while this instance holds the cluster lease, else 0.
    public static let clusterLeaseHeld = "uptimebot_cluster_lease_held"
    /// Gauge, no labels: monitor partitions (of 64) this instance holds and checks.
    public static let clusterPartitionsOwned = "uptimebot_cluster_partitions_owned"
    /// Gauge, no labels: instances with a live heartbeat, this one included.
    public static let clusterInstancesAlive = "uptimebot_cluster_instances_alive"
    /// Gauge, no labels: seconds since MongoDB last confirmed this instance's leases (lag).
    public static let clusterLeaseLag = "uptimebot_cluster_lease_lag_seconds"

    /// Every name above.
    public static let all = [
        checksRun, checkFailures, checkDuration, monitorsUp, monitorsDown, updatesHandled, updatesFailed,
        updateHandling, botAPICalls, botAPIErrors, botAPIRetries, outboxDepth, alertsSent,
        notificationsGivenUp, notificationsHeld, clusterLeaseHeld, clusterPartitionsOwned, clusterInstancesAlive,
        clusterLeaseLag,
    ]

    /// The label names of each metric above, in the order they are emitted.
    public static let labels: [String: [String]] = [
        checksRun: ["kind"],
        checkFailures: ["kind"],
        checkDuration: ["kind"],
        monitorsUp: [],
        monitorsDown: [],
        updatesHandled: ["type"],
        updatesFailed: ["type"],
        updateHandling: [],
        botAPICalls: ["method"],
        botAPIErrors: ["method", "kind"],
        botAPIRetries: ["method", "reason"],
        outboxDepth: [],
        alertsSent: ["transition"],
        notificationsGivenUp: ["reason"],
        notificationsHeld: ["reason"],
        clusterLeaseHeld: ["lease"],
        clusterPartitionsOwned: [],
        clusterInstancesAlive: [],
        clusterLeaseLag: [],
    ]

    /// Check latencies run from sub-millisecond pings on a LAN to HTTP checks that time out at 30 s.
    public static let checkDurationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10), .seconds(30),
    ]
}
