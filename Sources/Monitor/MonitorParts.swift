import Checks
import Cluster
import Curl
import ICMP
import Logging
import Storage

/// The monitor engine's collaborators, assembled in one place from the configuration and what the
/// composition root built (storage, the pinger, the checks' libcurl client, the process's one
/// `HostResolver`). `MonitorService` only runs them; the `uptime-bot run` wiring, the benchmarks and
/// the tests all assemble them here, so they run the same engine.
///
/// What it holds: the checker (ICMP and HTTP under the target policy), the connectivity guard
/// (canaries tell the monitor's own outage from its targets'), the writer (states, history, alerts),
/// the scheduler, the per-owner check slots and, when a target policy is set, the policy sweep.
public struct MonitorParts: Sendable {
    let checker: TargetChecker
    let writer: CheckResultWriter
    let scheduler: MonitorScheduler
    let ownerSlots: OwnerSlots
    let policySweep: PolicySweep?
    let configuration: MonitorConfiguration
    /// In a cluster: the partitions this instance checks (nil: every monitor).
    let membership: ClusterMembership?
    /// Where edits made on other cluster instances are looked for.
    let monitors: any MonitorRepository

    /// - Parameters:
    ///   - pinger: nil when ICMP is not permitted here: ICMP monitors are then not checked at all
    ///     (rather than all reported down), and that is logged.
    ///   - http: the libcurl client for HTTP checks; best one of its own, so checks never queue
    ///     behind Bot API calls or the other way round.
    ///   - resolver: the process's resolver (the pinger's too), for the HTTP checks' and the policy
    ///     sweep's judgement of names.
    public static func assemble(
        repositories: Repositories, pinger: ICMPPinger?, http: CurlHTTPClient, resolver: HostResolver,
        configuration: MonitorConfiguration, membership: ClusterMembership? = nil, logger: Logger
    ) -> MonitorParts {
        let checker = TargetChecker(
            pinger: pinger,
            http: HTTPChecker(
                client: http, proxy: configuration.checkProxy, noProxy: configuration.noProxy,
                caBundlePath: configuration.caBundlePath, policy: configuration.targetPolicy, resolver: resolver,
                logger: logger),
            policy: configuration.targetPolicy,
            pingOptions: PingOptions(
                probes: configuration.pingProbes, interval: configuration.pingSpacing,
                timeout: configuration.pingTimeout,
                packetsPerSecond: configuration.pingPacketsPerSecond),
            connectTimeout: min(configuration.checkTimeout, .seconds(10)), httpTimeout: configuration.checkTimeout,
            maxConcurrentHTTP: min(configuration.checkConcurrency, http.maxConcurrent))
        let canaries = configuration.canaryTargets.map(CheckTarget.guessing).filter {
            pinger != nil || $0.kind != .icmp
        }
        let proxy = ProxyRoute.configuredProxy(setting: configuration.checkProxy)
        let prober = CanaryProbe.make(
            canaries: canaries, proxy: proxy, checker: checker.ignoringPolicy(), checksClient: http, logger: logger)
        let connectivity = ConnectivityGuard(
            prober: prober, window: configuration.connectivityWindow, suspectFailures: configuration.suspectFailures,
            suspectRatio: configuration.suspectFailureRatio, recheckInterval: configuration.canaryRecheckInterval,
            logger: logger)
        let writer = CheckResultWriter(
            repositories: repositories, maxHistory: configuration.maxBufferedResults, logger: logger)
        let scheduler = MonitorScheduler(
            repositories: repositories, writer: writer, connectivity: connectivity, configuration: configuration,
            skippedKinds: pinger == nil ? [.icmp] : [], membership: membership, logger: logger)
        let policySweep = configuration.targetPolicy.map {
            PolicySweep(
                vetter: TargetVetter(policy: $0, resolver: resolver), admins: Set(configuration.adminIDs),
                repositories: repositories, logger: logger)
        }
        if pinger == nil {
            logger.error(
                "ICMP monitors are not checked: this process may not send ICMP (see the pinger's message at start-up)")
        }
        if prober == nil {
            logger.notice("no CANARY_TARGETS and no proxy: the monitor cannot tell its own outage from its targets'")
        }
        return MonitorParts(
            checker: checker, writer: writer, scheduler: scheduler,
            ownerSlots: OwnerSlots(checkConcurrency: min(configuration.checkConcurrency, http.maxConcurrent)),
            policySweep: policySweep, configuration: configuration, membership: membership,
            monitors: repositories.monitors)
    }
}
