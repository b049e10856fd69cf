import BSON
import Checks
import Foundation
import Logging
import Storage

/// The monitors being watched and their live state. It reloads them from storage (so chat edits
/// apply at the next refresh), hands out the checks that are due, and applies each result: the
/// alert state machine, the state and history to write, the owner's notification.
actor MonitorScheduler {
    private var plan = MonitorPlan()
    private var digest = MuteDigest()
    private let repositories: Repositories
    private let writer: CheckResultWriter
    private let connectivity: ConnectivityGuard
    private let composer: AlertComposer
    private let configuration: MonitorConfiguration
    private let skippedKinds: Set<CheckTarget.Kind>
    private let metrics = MonitorMetrics()
    private let logger: Logger
    private var counts = (up: 0, down: 0)
    private var refreshFailing = false

    init(repositories: Repositories, writer: CheckResultWriter, connectivity: ConnectivityGuard, configuration: MonitorConfiguration,
         skippedKinds: Set<CheckTarget.Kind>, logger: Logger) {
        self.repositories = repositories
        self.writer = writer
        self.connectivity = connectivity
        self.composer = AlertComposer(groupingWindow: configuration.groupingWindow)
        self.configuration = configuration
        self.skippedKinds = skippedKinds
        self.logger = logger
    }

    // MARK: Refresh

    /// Reloads the enabled monitors and their owners; false when storage did not answer (the
    /// monitors known so far go on being checked).
    @discardableResult
    func refresh(now: Date) async -> Bool {
        let monitors: [MonitorRecord]
        do {
            monitors = try await repositories.monitors.listEnabled()
        } catch {
            if !refreshFailing {
                logger.error("cannot load monitors; checking the ones loaded before", metadata: ["error": "\(error)"])
            }
            refreshFailing = true
            return false
        }
        if refreshFailing { logger.notice("monitors load again") }
        refreshFailing = false

        let ownerIDs = Set(monitors.map(\.ownerID)).union(configuration.adminIDs)
        var owners = plan.owners
        do {
            let users = try await repositories.users.list(ids: Array(ownerIDs))
            owners = [:]
            for user in users { owners[user.id] = OwnerProfile(user: user, configuration: configuration) }
        } catch {
            logger.warning("cannot load owners' settings; using the last known", metadata: ["error": "\(error)"])
        }
        for id in ownerIDs where owners[id] == nil { owners[id] = OwnerProfile(user: nil, configuration: configuration) }

        let summary = plan.refresh(monitors: monitors, owners: owners, defaultInterval: configuration.checkInterval, now: now)
        if summary != MonitorPlan.RefreshSummary() {
            logger.info("monitors reloaded", metadata: [
                "total": "\(plan.entries.count)", "added": "\(summary.added)", "removed": "\(summary.removed)", "changed": "\(summary.changed)",
            ])
        }
        counts = plan.statusCounts
        metrics.recordStatusCounts(up: counts.up, down: counts.down)
        await sendMuteSummaries(now: now)
        return true
    }

    /// Owners who unmuted (or whose mute ran out) get what changed meanwhile, in one message.
    private func sendMuteSummaries(now: Date) async {
        var batch = CheckResultBatch()
        for owner in digest.owners {
            let profile = plan.owner(owner)
            if profile?.isMuted(at: now) == true { continue }
            guard let (changes, omitted) = digest.take(owner: owner), profile?.unreachable != true,
                  let message = composer.muteSummary(owner: owner, changes: changes, omitted: omitted,
                                                     language: profile?.language ?? .ru, now: now)
            else { continue }
            batch.messages.append(message)
        }
        if !batch.isEmpty { await writer.take(batch) }
    }

    // MARK: Due checks

    func takeDue(until: Date, now: Date) -> [DueCheck] {
        plan.takeDue(until: until, now: now, skipping: skippedKinds)
    }

    var nextDue: Date? { plan.nextDue }

    var monitorCount: Int { plan.entries.count }

    /// A check that ended without a result (the service is stopping): the monitor is idle again.
    func abandon(_ checks: [DueCheck]) {
        for check in checks { _ = plan.finish(check) }
    }

    // MARK: Results

    /// Applies results that arrived together (one ping batch, or one site).
    func complete(_ results: [(check: DueCheck, result: TargetCheckResult)], at now: Date) async {
        // Would a failure here declare something down? Then connectivity is looked at first.
        var ok = 0, failed = 0, wouldGoDown = false
        for (check, result) in results {
            guard let entry = plan.entries[check.id], entry.generation == check.generation else { continue }
            if result.ok {
                ok += 1
            } else {
                failed += 1
                let thresholds = plan.owner(entry.record.ownerID)?.thresholds ?? configuration.defaultThresholds
                if case .wentDown = AlertStateMachine.apply(ok: false, at: now, to: entry.alertState, thresholds: thresholds).transition {
                    wouldGoDown = true
                }
            }
        }
        let (held, events) = await connectivity.assess(ok: ok, failed: failed, wouldGoDown: wouldGoDown, at: now)

        var batch = CheckResultBatch()
        batch.messages += adminMessages(for: events)
        for (check, result) in results {
            guard let entry = plan.finish(check) else { continue }
            apply(result, to: entry, at: now, held: held, into: &batch)
        }
        metrics.recordStatusCounts(up: counts.up, down: counts.down)
        await writer.take(batch)
    }

    private func apply(_ result: TargetCheckResult, to entry: ScheduledMonitor, at now: Date, held: Bool, into batch: inout CheckResultBatch) {
        let monitor = entry.record
        let owner = plan.owner(monitor.ownerID)
        let thresholds = owner?.thresholds ?? configuration.defaultThresholds
        let (state, transition) = AlertStateMachine.apply(ok: result.ok, at: now, to: entry.alertState, thresholds: thresholds, held: held)
        let rttMs = result.responseTime.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }
        let lastCheck = LastCheck(at: now, ok: result.ok, rttMs: rttMs, httpStatus: result.httpStatus, error: result.failure?.description)
        plan.update(monitor.id, state: state, lastCheck: lastCheck)
        count(from: monitor.status, to: state.status)
        metrics.recordCheck(result, took: result.responseTime ?? .zero)

        batch.states[monitor.id] = MonitorCheckState(status: state.status, statusSince: state.statusSince, failStreak: state.failStreak,
                                                     successStreak: state.successStreak, lastCheck: lastCheck)
        if configuration.historyRetention > .zero {
            batch.history.append(CheckRecord(monitorID: monitor.id, ownerID: monitor.ownerID, at: now, ok: result.ok, rttMs: rttMs,
                                             httpStatus: result.httpStatus, error: result.failure?.code))
        }
        guard transition != .none else { return }
        logger.info("monitor status changed", metadata: [
            "monitor": "\(monitor.id)", "owner": "\(monitor.ownerID)", "target": "\(monitor.target)", "status": "\(state.status.rawValue)",
            "reason": "\(result.failure?.description ?? "-")",
        ])
        if owner?.unreachable == true { return }
        if owner?.isMuted(at: now) == true {
            digest.add(MuteDigest.Change(monitorID: monitor.id, name: monitor.name, transition: transition, at: now), owner: monitor.ownerID)
            return
        }
        if let message = composer.alert(for: monitor, transition: transition, at: now, result: result, failures: state.failStreak,
                                        language: owner?.language ?? .ru) {
            batch.messages.append(message)
        }
    }

    private func adminMessages(for events: [ConnectivityEvent]) -> [OutboxMessage] {
        guard !events.isEmpty else { return [] }
        var admins: [Int64: NotificationTexts.Language] = [:]
        for id in configuration.adminIDs { admins[id] = plan.owner(id)?.language ?? .ru }
        return events.flatMap { event -> [OutboxMessage] in
            switch event {
            case let .lost(since, probe):
                composer.connectivityLost(admins: admins, since: since, failedCanaries: probe.failedCanaries, proxyDown: probe.proxyDown)
            case let .restored(since, at):
                composer.connectivityRestored(admins: admins, since: since, at: at)
            }
        }
    }

    private func count(from old: MonitorStatus, to new: MonitorStatus) {
        guard old != new else { return }
        if old == .up { counts.up -= 1 } else if old == .down { counts.down -= 1 }
        if new == .up { counts.up += 1 } else if new == .down { counts.down += 1 }
    }
}
