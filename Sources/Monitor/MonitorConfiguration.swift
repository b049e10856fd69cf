import Checks
import Curl
import Foundation
import HumanFormatting
import Storage

/// The operator's settings for the monitor engine (from the environment; see `uptime-bot run`).
public struct MonitorConfiguration: Sendable {
    /// CHECK_INTERVAL: seconds between checks when neither the monitor nor its owner chose.
    public var checkInterval: Int
    /// MIN_CHECK_INTERVAL: no monitor is checked more often, whatever its owner or a hand edit chose.
    public var minCheckInterval: Int
    /// FAILURES_BEFORE_ALERT / SUCCESSES_BEFORE_RECOVERY: the defaults behind every owner's settings.
    public var failuresBeforeAlert: Int
    public var successesBeforeRecovery: Int
    /// PING_PROBES: echo requests per ICMP check (one answer is enough to be up).
    public var pingProbes: Int
    /// Time between the probes of one ICMP check, and how long each waits for its reply.
    public var pingSpacing: Duration
    public var pingTimeout: Duration
    /// Echo requests per second, all monitors together: enough for monitors × probes / interval
    /// (10,000 × 3 / 60 s = 500), low enough not to flood a LAN. Checks fall behind below that.
    public var pingPacketsPerSecond: Int
    /// CHECK_TIMEOUT: limit of one HTTP check (connecting takes at most 10 s of it).
    public var checkTimeout: Duration
    /// CHECK_CONCURRENCY: HTTP checks in flight at once.
    public var checkConcurrency: Int
    /// CHECK_PROXY: the environment's proxy (libcurl's rules), none, or a URL; checks only.
    public var checkProxy: ProxySetting
    /// Hosts that bypass the check proxy (libcurl's `no_proxy` syntax); nil follows the environment.
    public var noProxy: String?
    /// CA certificates HTTPS checks trust instead of the system store (an internal CA; the tests' own).
    public var caBundlePath: String?
    /// CHECK_HISTORY_DAYS: how long results are kept (MongoDB's TTL is set by the migrator with the
    /// same value); zero stores no history.
    public var historyRetention: Duration
    /// CANARY_TARGETS: hosts or URLs that are always up. When many monitors fail at once and these
    /// fail too, the monitor itself is cut off: alerts are held and admins told instead.
    public var canaryTargets: [String]
    /// ADMIN_IDS: who hears about the monitor's own connectivity; their monitors may check loopback.
    public var adminIDs: [Int64]
    /// TARGET_ALLOW / TARGET_DENY and the built-in denies; nil checks any address (tests, benchmarks).
    public var targetPolicy: TargetPolicy?
    /// How often monitors are reloaded from storage, so chat edits apply without a restart;
    /// nil: every CHECK_INTERVAL, at most a minute.
    public var refreshInterval: Duration?
    /// How often buffered state, history and notifications are written to storage.
    public var flushInterval: Duration
    /// Check results kept in memory while storage is down; the oldest are dropped (and counted) beyond it.
    public var maxBufferedResults: Int
    /// When at least this many checks, and `suspectFailureRatio` of all, failed within
    /// `connectivityWindow`, the canaries are checked before anything may go down.
    public var suspectFailures: Int
    public var suspectFailureRatio: Double
    public var connectivityWindow: Duration
    /// How long a canary verdict is reused before the canaries are checked again.
    public var canaryRecheckInterval: Duration
    /// `TZ`: the zone alerts write times in for owners who chose none.
    public var timeZone: ChatTimeZone = .utc

    public init(
        checkInterval: Int = OperatorDefaults.checkIntervalSeconds,
        minCheckInterval: Int = 1,
        failuresBeforeAlert: Int = OperatorDefaults.failuresBeforeAlert,
        successesBeforeRecovery: Int = OperatorDefaults.successesBeforeRecovery,
        pingProbes: Int = 3,
        pingSpacing: Duration = .seconds(1),
        pingTimeout: Duration = .seconds(2),
        pingPacketsPerSecond: Int = 1000,
        checkTimeout: Duration = .seconds(10),
        checkConcurrency: Int = 200,
        checkProxy: ProxySetting = .environment,
        noProxy: String? = nil,
        historyRetention: Duration = .seconds(30 * 86_400),
        canaryTargets: [String] = [],
        adminIDs: [Int64] = [],
        targetPolicy: TargetPolicy? = nil,
        refreshInterval: Duration? = nil,
        flushInterval: Duration = .seconds(1),
        maxBufferedResults: Int = 100_000,
        suspectFailures: Int = 3,
        suspectFailureRatio: Double = 0.5,
        connectivityWindow: Duration = .seconds(60),
        canaryRecheckInterval: Duration = .seconds(5)
    ) {
        self.checkInterval = max(1, checkInterval)
        self.minCheckInterval = max(1, minCheckInterval)
        self.failuresBeforeAlert = max(1, failuresBeforeAlert)
        self.successesBeforeRecovery = max(1, successesBeforeRecovery)
        self.pingProbes = max(1, pingProbes)
        self.pingSpacing = pingSpacing
        self.pingTimeout = pingTimeout
        self.pingPacketsPerSecond = max(0, pingPacketsPerSecond)
        self.checkTimeout = checkTimeout
        self.checkConcurrency = max(1, checkConcurrency)
        self.checkProxy = checkProxy
        self.noProxy = noProxy
        self.historyRetention = historyRetention
        self.canaryTargets = canaryTargets
        self.adminIDs = adminIDs
        self.targetPolicy = targetPolicy
        self.refreshInterval = refreshInterval
        self.flushInterval = flushInterval
        self.maxBufferedResults = max(1, maxBufferedResults)
        self.suspectFailures = max(1, suspectFailures)
        self.suspectFailureRatio = min(1, max(0, suspectFailureRatio))
        self.connectivityWindow = connectivityWindow
        self.canaryRecheckInterval = canaryRecheckInterval
    }

    /// CHECK_PROXY as written: unset → the environment, "none" → direct, else that proxy.
    public static func proxySetting(_ checkProxy: String?) -> ProxySetting {
        guard let value = checkProxy?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return .environment }
        return value.lowercased() == "none" ? .none : .url(value)
    }

    var reloadInterval: Duration { refreshInterval ?? .seconds(min(checkInterval, 60)) }

    var defaultThresholds: AlertThresholds {
        AlertThresholds(failuresBeforeAlert: failuresBeforeAlert, successesBeforeRecovery: successesBeforeRecovery)
    }
}
