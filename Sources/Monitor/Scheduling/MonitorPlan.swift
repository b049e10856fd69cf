import BSON
import Checks
import Foundation
import Storage
import Targets

/// One monitor as the scheduler holds it: what to check, its live alert state, its next slot.
struct ScheduledMonitor: Sendable {
    /// The definition as last loaded, with the alert state and last check kept current in memory.
    var record: MonitorRecord
    var interval: Int
    var phase: Int64
    var nextDue: Date
    var inFlight = false
    /// Bumped when what is checked changes; a result for an older generation is dropped.
    var generation: UInt64

    var alertState: AlertState { AlertState(record) }

    var target: CheckTarget { record.checkTarget }
}

/// A check handed out by the plan, to be returned with its result.
struct DueCheck: Sendable {
    var id: ObjectId
    var generation: UInt64
    var target: CheckTarget
    /// Whose share of the check slots it takes.
    var ownerID: Int64 = 0
}

/// The set of monitors being checked and when each is due. Pure bookkeeping: no I/O, no clock.
struct MonitorPlan {
    private(set) var entries: [ObjectId: ScheduledMonitor] = [:]
    private(set) var owners: [Int64: OwnerProfile] = [:]
    private var generations: UInt64 = 0
    /// Slots skipped because the monitor's previous check was still running: checks fall behind.
    private(set) var skippedSlots = 0

    struct RefreshSummary: Equatable {
        var added = 0
        var removed = 0
        var changed = 0
    }

    /// Seconds over which the overdue monitors of a partition taken over are checked.
    static let takeoverSpread: TimeInterval = 1

    /// Takes one page of the enabled monitors. New ones are scheduled, edited ones take their new
    /// definition; the alert state in memory wins over storage's (storage may lag behind while it
    /// is down), except when the target changed: then the monitor starts over, as storage does.
    /// `minimumInterval` (MIN_CHECK_INTERVAL) is the floor of every interval, a monitor's own included.
    mutating func merge(
        _ monitors: [MonitorRecord], owners: [Int64: OwnerProfile], defaultInterval: Int, minimumInterval: Int = 1,
        now: Date, overdueAtOnce: Bool = false, seen: inout Set<ObjectId>, summary: inout RefreshSummary
    ) {
        for record in monitors where record.enabled {
            seen.insert(record.id)
            let interval = max(
                minimumInterval,
                record.intervalSeconds.flatMap { $0 > 0 ? $0 : nil }
                    ?? owners[record.ownerID]?.checkInterval ?? defaultInterval)
            guard var entry = entries[record.id] else {
                let phase = CheckSlots.phase(of: record.id, interval: interval)
                generations += 1
                // Taken over from another instance (overdueAtOnce): a monitor it last checked longer
                // than an interval ago is checked now, not at its next slot, spread over a second by
                // its phase (a dead instance's share must not hit one server all in one instant).
                let overdue =
                    overdueAtOnce
                    && (record.lastCheck?.at ?? .distantPast).addingTimeInterval(TimeInterval(interval)) < now
                let fraction = min(1, Double(phase) / (Double(max(1, interval)) * 1000))
                let soon = now.addingTimeInterval(Self.takeoverSpread * fraction)
                entries[record.id] = ScheduledMonitor(
                    record: record, interval: interval, phase: phase,
                    nextDue: overdue ? soon : CheckSlots.next(after: now, interval: interval, phase: phase),
                    generation: generations)
                summary.added += 1
                continue
            }
            let old = entry.record
            var changed = false
            if old.kind != record.kind || old.target != record.target || old.keyword != record.keyword
                || old.options != record.options
            {
                var fresh = record
                if old.kind != record.kind || old.target != record.target {
                    fresh.resetAlertState()
                    // The counter never goes back: alert keys of the old target stay unique.
                    fresh.transitions = max(old.transitions, record.transitions)
                } else {
                    fresh.adoptAlertState(of: old)
                }
                entry.record = fresh
                generations += 1
                entry.generation = generations
                entry.inFlight = false
                changed = true
            } else if old.name != record.name || old.ownerID != record.ownerID
                || old.intervalSeconds != record.intervalSeconds || old.revision != record.revision
                || old.ack != record.ack || old.dependsOn != record.dependsOn || old.maintenance != record.maintenance
            {
                var fresh = record
                fresh.adoptAlertState(of: old)
                entry.record = fresh
                changed = true
            }
            if interval != entry.interval {
                entry.interval = interval
                entry.phase = CheckSlots.phase(of: record.id, interval: interval)
                entry.nextDue = CheckSlots.next(after: now, interval: interval, phase: entry.phase)
                changed = true
            }
            if changed {
                entries[record.id] = entry
                summary.changed += 1
            }
        }
    }

    /// After the last page: monitors not seen (deleted or disabled) are dropped, owners replaced.
    mutating func finishRefresh(seen: Set<ObjectId>, owners: [Int64: OwnerProfile], summary: inout RefreshSummary) {
        self.owners = owners
        // In place: filtering into a new dictionary would hold two copies of the plan at once.
        let gone = entries.keys.filter { !seen.contains($0) }
        for id in gone { entries[id] = nil }
        summary.removed = gone.count
    }

    /// Hands out every monitor due by `until` that is not being checked already, and moves each to
    /// its next slot after `now`. A monitor still in flight at its slot skips that slot: checks of
    /// one target never pile up. `skipping` kinds are not checked at all (no pinger). Monitors of
    /// `admins` are checked with the admins' target policy (loopback allowed).
    mutating func takeDue(until: Date, now: Date, skipping: Set<TargetKind> = [], admins: Set<Int64> = [])
        -> [DueCheck]
    {
        var due: [DueCheck] = []
        // Ids first: mutating the dictionary while iterating it would copy it whole.
        let ids = entries.compactMap { $0.value.nextDue <= until ? $0.key : nil }
        for id in ids {
            guard var entry = entries[id] else { continue }
            var target = entry.target
            target.ownerIsAdmin = admins.contains(entry.record.ownerID)
            if entry.inFlight {
                skippedSlots += 1
            } else if !skipping.contains(target.kind) {
                entry.inFlight = true
                due.append(
                    DueCheck(id: id, generation: entry.generation, target: target, ownerID: entry.record.ownerID))
            }
            entry.nextDue = CheckSlots.next(
                after: max(entry.nextDue, now), interval: entry.interval, phase: entry.phase)
            entries[id] = entry
        }
        return due
    }

    /// The earliest slot of a monitor not in flight; nil when there is none.
    var nextDue: Date? {
        entries.values.lazy.filter { !$0.inFlight }.map(\.nextDue).min()
    }

    /// Returns the monitor a result belongs to and marks it idle; nil when the monitor is gone or
    /// now checks something else (the result says nothing about it any more).
    mutating func finish(_ check: DueCheck) -> ScheduledMonitor? {
        guard var entry = entries[check.id], entry.generation == check.generation else { return nil }
        entry.inFlight = false
        entries[check.id] = entry
        return entry
    }

    /// Stores the state after a result.
    mutating func update(_ id: ObjectId, state: AlertState, lastCheck: LastCheck, transitions: Int? = nil) {
        guard var entry = entries[id] else { return }
        if let transitions { entry.record.transitions = transitions }
        entry.record.status = state.status
        entry.record.statusSince = state.statusSince
        entry.record.failStreak = state.failStreak
        entry.record.successStreak = state.successStreak
        entry.record.lastCheck = lastCheck
        entries[id] = entry
    }

    /// Stores the slow state and the certificate seen after a result.
    mutating func update(_ id: ObjectId, slow: SlowState, certificate: CertificateRecord?) {
        guard var entry = entries[id] else { return }
        entry.record.slow = slow
        if let certificate { entry.record.certificate = certificate }
        entries[id] = entry
    }

    /// Stores what stays kept back after a result.
    mutating func setHeldAlert(_ id: ObjectId, _ held: HeldAlert?) {
        entries[id]?.record.heldAlert = held
    }

    func owner(_ id: Int64) -> OwnerProfile? { owners[id] }

    mutating func setOwner(_ id: Int64, _ profile: OwnerProfile) { owners[id] = profile }

    /// Drops a paused or deleted monitor at once; a result still in flight finds nothing to apply to.
    mutating func remove(_ id: ObjectId) { entries[id] = nil }

    /// Returns the skipped slots counted since the last call.
    mutating func takeSkippedSlots() -> Int {
        defer { skippedSlots = 0 }
        return skippedSlots
    }

    /// Monitors up and down now (the gauges).
    var statusCounts: (up: Int, down: Int) {
        entries.values.reduce(into: (0, 0)) { counts, entry in
            switch entry.record.status {
            case .up: counts.0 += 1
            case .down: counts.1 += 1
            case .unknown: break
            }
        }
    }
}

extension MonitorRecord {
    /// A new target starts from "not yet checked" (as `MonitorRepository.update` does in storage).
    fileprivate mutating func resetAlertState() {
        status = .unknown
        statusSince = nil
        failStreak = 0
        successStreak = 0
        lastCheck = nil
        slow = SlowState()
        certificate = nil
    }

    fileprivate mutating func adoptAlertState(of other: MonitorRecord) {
        status = other.status
        statusSince = other.statusSince
        failStreak = other.failStreak
        successStreak = other.successStreak
        lastCheck = other.lastCheck
        transitions = max(transitions, other.transitions)
        slow = other.slow
        certificate = other.certificate ?? certificate
        heldAlert = other.heldAlert
    }
}
