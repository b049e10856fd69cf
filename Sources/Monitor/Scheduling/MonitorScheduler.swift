import BSON
import Checks
import Cluster
import Foundation
import HumanFormatting
import Logging
import Storage
import Targets

/// The monitors being watched and their live state. It reloads them from storage (so chat edits
/// apply at the next refresh), hands out the checks that are due, and applies each result: the
/// alert state machine, the state and history to write, the owner's notification.
actor MonitorScheduler {
    private var plan = MonitorPlan()
    private let repositories: Repositories
    private let writer: CheckResultWriter
    private let connectivity: ConnectivityGuard
    let composer: AlertComposer
    let configuration: MonitorConfiguration
    private let skippedKinds: Set<TargetKind>
    /// ADMIN_IDS: the target policy lets their monitors check loopback.
    private let admins: Set<Int64>
    private let metrics = MonitorMetrics()
    private let logger: Logger
    private var counts = (up: 0, down: 0)
    private var refreshFailing = false
    /// After the first load, monitors that join the plan in a cluster come from another instance's partition.
    private var loadedOnce = false
    private var lastBehindWarning = Date.distantPast
    /// In a cluster: which monitor partitions this instance checks (nil: every monitor).
    private let membership: ClusterMembership?

    init(
        repositories: Repositories, writer: CheckResultWriter, connectivity: ConnectivityGuard,
        configuration: MonitorConfiguration,
        skippedKinds: Set<TargetKind>, membership: ClusterMembership? = nil, logger: Logger
    ) {
        self.membership = membership
        self.repositories = repositories
        self.writer = writer
        self.connectivity = connectivity
        self.composer = AlertComposer()
        self.configuration = configuration
        self.skippedKinds = skippedKinds
        self.admins = Set(configuration.adminIDs)
        self.logger = logger
    }

    // MARK: Refresh

    /// Monitors read from storage per query: a page costs a megabyte or two while it is decoded.
    static let pageSize = 1000

    /// One page of the monitors this instance checks, and the last id read (nil: the end).
    private func page(after: ObjectId?) async throws -> (monitors: [MonitorRecord], last: ObjectId?) {
        guard let membership else {
            let page = try await repositories.monitors.listEnabled(after: after, limit: Self.pageSize)
            return (page, page.last?.id)
        }
        // A cluster instance reads only its share in full (ids are scanned first).
        return try await repositories.monitors.listEnabled(
            after: after, limit: Self.pageSize, keeping: { membership.owns($0) })
    }

    /// Reloads the enabled monitors and their owners, page by page; false when storage did not
    /// answer (then nothing is dropped: the monitors known so far go on being checked). `now` is on
    /// the scheduling timeline, `wallNow` the time of day (for mutes); they differ after a clock step.
    @discardableResult
    func refresh(now: Date, wallNow: Date? = nil) async -> Bool {
        var owners: [Int64: OwnerProfile] = [:]
        var seen = Set<ObjectId>(minimumCapacity: plan.entries.count)
        var summary = MonitorPlan.RefreshSummary()
        var after: ObjectId?
        do {
            await loadOwners(Set(configuration.adminIDs), into: &owners)
            while true {
                let (mine, scanned) = try await page(after: after)
                // No id read ends the list (a short page may only mean unreadable documents were skipped).
                guard let last = scanned else { break }
                await loadOwners(Set(mine.map(\.ownerID)).subtracting(owners.keys), into: &owners)
                plan.merge(
                    mine, owners: owners, defaultInterval: configuration.checkInterval,
                    minimumInterval: configuration.minCheckInterval, now: now,
                    overdueAtOnce: membership != nil && loadedOnce, seen: &seen, summary: &summary)
                after = last
            }
        } catch {
            // Stopping: the storage call was cancelled, storage is fine.
            if Task.isCancelled { return false }
            if !refreshFailing {
                logger.error("cannot load monitors; checking the ones loaded before", metadata: ["error": "\(error)"])
            }
            refreshFailing = true
            return false
        }
        if refreshFailing { logger.notice("monitors load again") }
        refreshFailing = false
        loadedOnce = true
        plan.finishRefresh(seen: seen, owners: owners, summary: &summary)
        if summary != MonitorPlan.RefreshSummary() {
            logger.info(
                "monitors reloaded",
                metadata: [
                    "total": "\(plan.entries.count)", "added": "\(summary.added)", "removed": "\(summary.removed)",
                    "changed": "\(summary.changed)",
                ])
        }
        counts = plan.statusCounts
        metrics.recordStatusCounts(up: counts.up, down: counts.down)
        await sendReminders(now: wallNow ?? now)
        return true
    }

    /// Applies one monitor's edit, pause or delete at once: a paused or deleted one is dropped from
    /// the plan (a check in flight then finds nothing to apply to), a new target starts over with a
    /// new generation (a late result of the old one is dropped). When storage does not answer, the
    /// next reload applies it.
    func reload(_ id: ObjectId, now: Date) async {
        let record: MonitorRecord?
        do {
            record = try await repositories.monitors.get(id)
        } catch {
            if !Task.isCancelled {
                logger.warning(
                    "cannot read an edited monitor; applying it at the next reload",
                    metadata: ["monitor": "\(id)", "error": "\(error)"])
            }
            return
        }
        guard let record, record.enabled, membership?.owns(id) ?? true else {
            plan.remove(id)
            return
        }
        if plan.owner(record.ownerID) == nil {
            var owners: [Int64: OwnerProfile] = [:]
            await loadOwners([record.ownerID], into: &owners)
            for (owner, profile) in owners { plan.setOwner(owner, profile) }
        }
        var seen = Set<ObjectId>()
        var summary = MonitorPlan.RefreshSummary()
        plan.merge(
            [record], owners: plan.owners, defaultInterval: configuration.checkInterval,
            minimumInterval: configuration.minCheckInterval, now: now, seen: &seen, summary: &summary)
    }

    /// Reads owners' settings; one that cannot be read keeps its last known profile (or the defaults).
    private func loadOwners(_ ids: Set<Int64>, into owners: inout [Int64: OwnerProfile]) async {
        guard !ids.isEmpty else { return }
        var loaded = true
        do {
            for user in try await repositories.users.list(ids: Array(ids)) {
                owners[user.id] = OwnerProfile(user: user, configuration: configuration)
            }
        } catch {
            loaded = false
            if !Task.isCancelled {
                logger.warning("cannot load owners' settings; using the last known", metadata: ["error": "\(error)"])
            }
        }
        let defaults = OwnerProfile(user: nil, configuration: configuration)
        for id in ids where owners[id] == nil { owners[id] = loaded ? defaults : plan.owner(id) ?? defaults }
    }

    // MARK: Due checks

    func takeDue(until: Date, now: Date) -> [DueCheck] {
        var due = plan.takeDue(until: until, now: now, skipping: skippedKinds, admins: admins)
        if let membership {
            // A partition given up (or lapsed) since the last reload: its monitors are another's now.
            let foreign = due.filter { !membership.owns($0.id, now: now) }
            if !foreign.isEmpty {
                abandon(foreign)
                due.removeAll { !membership.owns($0.id, now: now) }
            }
        }
        // Checks that outlast their interval: say so, at most once a minute.
        if now.timeIntervalSince(lastBehindWarning) >= 60 {
            let skipped = plan.takeSkippedSlots()
            if skipped > 0 {
                lastBehindWarning = now
                logger.warning(
                    "checks are falling behind: monitors were still being checked at their next slot",
                    metadata: [
                        "skipped_slots": "\(skipped)",
                        "hint":
                            "fewer PING_PROBES, a longer CHECK_INTERVAL, a higher CHECK_CONCURRENCY or a shorter CHECK_TIMEOUT",
                    ])
            }
        }
        return due
    }

    var nextDue: Date? { plan.nextDue }

    /// A check that ended without a result (the service is stopping): the monitor is idle again.
    func abandon(_ checks: [DueCheck]) {
        for check in checks { _ = plan.finish(check) }
    }

    // MARK: Results

    /// Applies results that arrived together (one ping batch, or one site). Each result's `checkedAt`
    /// says when it was sent (after any wait for a concurrency slot).
    func complete(_ results: [(check: DueCheck, result: TargetCheckResult)], at now: Date) async {
        // Would a failure here declare something down? Then connectivity is looked at first.
        var ok = 0
        var failed = 0
        var wouldGoDown = false
        for (check, result) in results {
            guard let entry = plan.entries[check.id], entry.generation == check.generation else { continue }
            if result.ok {
                ok += 1
            } else {
                failed += 1
                let thresholds = entry.record.options.thresholds(
                    over: plan.owner(entry.record.ownerID)?.thresholds ?? configuration.defaultThresholds)
                if case .wentDown = AlertStateMachine.apply(
                    ok: false, at: now, to: entry.alertState, thresholds: thresholds
                ).transition {
                    wouldGoDown = true
                }
            }
        }
        let startedAt = results.map(\.result.checkedAt).min()
        let (held, events) = await connectivity.assess(
            ok: ok, failed: failed, wouldGoDown: wouldGoDown, startedAt: startedAt, at: now)

        var batch = CheckResultBatch()
        batch.messages += adminMessages(for: events)
        for (check, result) in results {
            guard let entry = plan.finish(check) else { continue }
            // Its partition went to another instance during the check: that one's result counts.
            if let membership, !membership.owns(check.id) { continue }
            let took = result.responseTime ?? .seconds(max(0, now.timeIntervalSince(result.checkedAt)))
            apply(result, to: entry, at: now, took: took, held: held, into: &batch)
        }
        metrics.recordStatusCounts(up: counts.up, down: counts.down)
        await writer.take(batch)
    }

    private func apply(
        _ result: TargetCheckResult, to entry: ScheduledMonitor, at now: Date, took: Duration, held: Bool,
        into batch: inout CheckResultBatch
    ) {
        let monitor = entry.record
        let owner = plan.owner(monitor.ownerID)
        let thresholds = monitor.options.thresholds(over: owner?.thresholds ?? configuration.defaultThresholds)
        let (state, transition) = AlertStateMachine.apply(
            ok: result.ok, at: now, to: entry.alertState, thresholds: thresholds, held: held)
        let rttMs = result.responseTime.map {
            Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15
        }
        let lastCheck = LastCheck(
            at: now, ok: result.ok, rttMs: rttMs, httpStatus: result.httpStatus, error: result.failure?.description)
        // Clamped: the counter may come from a hand-edited document.
        var transitions = transition == .none ? monitor.transitions : monitor.transitions.saturatingIncrement
        let mainCounter = transitions
        // Slow state and certificate warnings: alerts of their own, numbered after the status change.
        let quality = assessQuality(
            result, monitor: monitor, status: state.status, thresholds: thresholds, owner: owner, at: now,
            counter: &transitions)
        plan.update(monitor.id, state: state, lastCheck: lastCheck, transitions: transitions)
        plan.update(monitor.id, slow: quality.slow, certificate: quality.certificate)
        count(from: monitor.status, to: state.status)
        metrics.recordCheck(result, took: took)

        let inMaintenance = plan.inMaintenance(monitor, at: now)
        // The status alert's own counter (slow and certificate alerts after it are numbered on).
        let hold = AlertHold.decide(
            transition: transition, counter: mainCounter, status: state.status, ok: result.ok,
            held: monitor.heldAlert, inMaintenance: inMaintenance,
            parentDown: plan.parentDown(monitor, orChecking: transition != .none), now: now)
        plan.setHeldAlert(monitor.id, hold.held)

        var checkState = MonitorCheckState(
            status: state.status, statusSince: state.statusSince, failStreak: state.failStreak,
            successStreak: state.successStreak, lastCheck: lastCheck, transitions: transitions,
            revision: monitor.revision, slow: quality.slow, certificate: quality.certificate, heldAlert: hold.held)
        checkState.partitionEpoch = membership?.partitionEpoch(of: monitor.id)
        // Slow and certificate alerts wait out maintenance like the status alerts (they are not kept back).
        if !inMaintenance { checkState.alerts += quality.alerts.map(PendingAlert.init) }
        // The alert goes into the same update as the state it announces (see CheckResultWriter).
        defer { batch.states[monitor.id] = checkState }
        if configuration.historyRetention > .zero {
            batch.history.append(
                CheckRecord(
                    monitorID: monitor.id, ownerID: monitor.ownerID, at: now, ok: result.ok, rttMs: rttMs,
                    httpStatus: result.httpStatus, error: result.failure?.code, slow: quality.slowCheck ? true : nil,
                    maintenance: inMaintenance))
        }
        if transition != .none {
            logger.info(
                "monitor status changed",
                metadata: [
                    "monitor": "\(monitor.id)", "owner": "\(monitor.ownerID)", "target": "\(monitor.target)",
                    "status": "\(state.status.rawValue)",
                    "reason": "\(result.failure?.description ?? "-")",
                    "held": "\(hold.held?.reason.rawValue ?? "-")",
                ])
        }
        guard hold.announce != .none else { return }
        // An unreachable owner's alerts are still written: the outbox keeps them for when they are back.
        // Muted: a summary line, held by the outbox until the mute ends.
        if owner?.isMuted(at: now) == true {
            if let line = composer.mutedChange(
                for: monitor, transition: hold.announce, counter: hold.counter, at: now,
                language: owner?.language ?? .ru, zone: owner?.zone ?? configuration.timeZone)
            {
                checkState.alerts.append(PendingAlert(line))
            }
            return
        }
        var released = hold.released
        if released == .parent, let since = monitor.heldAlert?.since, !plan.parentFailed(since: since, monitor) {
            released = nil
        }
        var details = AlertComposer.Details(released: released)
        switch hold.announce {
        case .wentDown: details.behind = plan.failingChildren(of: monitor.id)
        // The outage a recovery ends is the down transition just before it.
        case .recovered: details.ack = monitor.ack.flatMap { $0.counter == hold.counter - 1 ? $0 : nil }
        case .none: break
        }
        if let message = composer.alert(
            for: monitor, transition: hold.announce, counter: hold.counter, at: now, result: result,
            failures: state.failStreak, language: owner?.language ?? .ru, zone: owner?.zone ?? configuration.timeZone,
            details: details)
        {
            checkState.alerts.append(PendingAlert(message))
        }
    }

    /// "Still down" reminders of the owners who asked for them (one message per owner and period).
    private func sendReminders(now: Date) async {
        var batch = CheckResultBatch()
        for (owner, monitors) in plan.reminders(now: now) {
            guard let profile = plan.owner(owner) else { continue }
            let sorted = monitors.sorted { ($0.statusSince ?? now, $0.id) < ($1.statusSince ?? now, $1.id) }
            let shown = sorted.prefix(Self.reminderLines)
            if let message = composer.reminder(
                owner: owner, hours: profile.reminderHours,
                items: shown.map { (name: $0.name, since: $0.statusSince ?? now) }, omitted: sorted.count - shown.count,
                language: profile.language, zone: profile.zone, now: now)
            {
                batch.messages.append(message)
            }
        }
        if !batch.isEmpty { await writer.take(batch) }
    }

    /// Monitors named in one reminder at most (names are cut to fit, so a reminder fits one message).
    static let reminderLines = 30

    private func adminMessages(for events: [ConnectivityEvent]) -> [OutboxMessage] {
        guard !events.isEmpty else { return [] }
        var admins: [Int64: Language] = [:]
        for id in configuration.adminIDs { admins[id] = plan.owner(id)?.language ?? .ru }
        return events.flatMap { event -> [OutboxMessage] in
            switch event {
            case .lost(let since, let probe):
                composer.connectivityLost(
                    admins: admins, since: since, failedCanaries: probe.failedCanaries, proxyDown: probe.proxyDown)
            case .restored(let since, let at):
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
