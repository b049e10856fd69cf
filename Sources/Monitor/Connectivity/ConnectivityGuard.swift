import Curl
import Foundation
import Logging

/// What a look at the monitor's own reachability found.
struct ConnectivityProbe: Sendable, Equatable {
    var reachable: Bool
    /// Canaries that did not answer (all of them when `reachable` is false because of them).
    var failedCanaries: [String] = []
    /// The proxy, when it was configured and did not answer.
    var proxyDown: String?
}

enum ConnectivityEvent: Sendable, Equatable {
    case lost(since: Date, probe: ConnectivityProbe)
    case restored(since: Date, at: Date)
}

/// Tells a dead target from a dead monitor. When many checks fail at once, or a result is about
/// to declare a monitor down, it checks the canaries (and the proxy); if they fail too, the monitor
/// itself is cut off: failures are held (no monitor goes down, no owner is told) until the
/// canaries answer again. Without canaries or a proxy it cannot tell, and holds nothing.
actor ConnectivityGuard {
    typealias Prober = @Sendable () async -> ConnectivityProbe

    private let prober: Prober?
    private let window: Duration
    private let suspectFailures: Int
    private let suspectRatio: Double
    private let recheckInterval: Duration
    private let logger: Logger

    /// Checks per second over the window, oldest first.
    private var buckets: [(second: Int64, ok: Int, failed: Int)] = []
    private(set) var cutOffSince: Date?
    /// When connectivity was last seen back: checks started before then ran while cut off.
    private var restoredAt: Date?
    private var lastProbe: (at: Date, probe: ConnectivityProbe)?
    private var probing: Task<ConnectivityProbe, Never>?

    init(
        prober: Prober?, window: Duration, suspectFailures: Int, suspectRatio: Double, recheckInterval: Duration,
        logger: Logger
    ) {
        self.prober = prober
        self.window = window
        self.suspectFailures = suspectFailures
        self.suspectRatio = suspectRatio
        self.recheckInterval = recheckInterval
        self.logger = logger
    }

    /// Takes a batch of results of checks started at `startedAt` and says whether its failures
    /// must be held, with what changed.
    func assess(ok: Int, failed: Int, wouldGoDown: Bool, startedAt: Date? = nil, at now: Date) async -> (
        held: Bool, events: [ConnectivityEvent]
    ) {
        record(ok: ok, failed: failed, at: now)
        guard prober != nil else { return (false, []) }
        // A check sent while the monitor was cut off failed because of that, even if it ends after.
        let startedWhileCutOff = { (restoredAt: Date?) in restoredAt.map { (startedAt ?? now) < $0 } ?? false }
        if cutOffSince == nil {
            if startedWhileCutOff(restoredAt) { return (true, []) }
            guard failed > 0, wouldGoDown || isSuspicious(at: now) else { return (false, []) }
        }
        let probe = await currentProbe(at: now)
        // Re-read after the await: another batch may have recorded the change already.
        if !probe.reachable, cutOffSince == nil {
            cutOffSince = now
            logger.error(
                "the monitor seems cut off: canaries fail too; holding alerts",
                metadata: [
                    "failed_canaries": "\(probe.failedCanaries)",
                    "proxy_down": "\(probe.proxyDown.map(CredentialRedaction.url) ?? "-")",
                ])
            return (true, [.lost(since: now, probe: probe)])
        }
        if probe.reachable, let since = cutOffSince {
            cutOffSince = nil
            restoredAt = now
            logger.notice(
                "connectivity is back; alerts resume", metadata: ["lost_for_s": "\(Int(now.timeIntervalSince(since)))"])
            return (startedWhileCutOff(restoredAt), [.restored(since: since, at: now)])
        }
        return (cutOffSince != nil || startedWhileCutOff(restoredAt), [])
    }

    private func currentProbe(at now: Date) async -> ConnectivityProbe {
        if let last = lastProbe, now.timeIntervalSince(last.at) < recheckInterval.timeInterval { return last.probe }
        // One probe at a time: batches arriving meanwhile share it.
        let task = probing ?? Task { [prober] in await prober?() ?? ConnectivityProbe(reachable: true) }
        probing = task
        let probe = await task.value
        if probing == task {
            probing = nil
            lastProbe = (now, probe)
        }
        return probe
    }

    private func record(ok: Int, failed: Int, at now: Date) {
        let second = Int64(now.timeIntervalSince1970)
        if let last = buckets.last, last.second == second {
            buckets[buckets.count - 1].ok += ok
            buckets[buckets.count - 1].failed += failed
        } else {
            buckets.append((second, ok, failed))
        }
        let oldest = second - max(1, window.components.seconds)
        if let firstKept = buckets.firstIndex(where: { $0.second > oldest }), firstKept > 0 {
            buckets.removeFirst(firstKept)
        }
    }

    /// Many checks failed lately, and most of those that ran.
    private func isSuspicious(at now: Date) -> Bool {
        let (ok, failed) = buckets.reduce((0, 0)) { ($0.0 + $1.ok, $0.1 + $1.failed) }
        let total = ok + failed
        return failed >= suspectFailures && total > 0 && Double(failed) / Double(total) >= suspectRatio
    }
}
