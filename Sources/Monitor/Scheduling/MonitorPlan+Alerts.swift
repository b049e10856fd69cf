import BSON
import Foundation
import Storage

/// What the plan knows about maintenance, dependencies and reminders.
extension MonitorPlan {
    /// Whether the monitor is in a maintenance window of its own or of its owner's at `date`.
    func inMaintenance(_ monitor: MonitorRecord, at date: Date) -> Bool {
        if monitor.maintenance.occurrence(containing: date) != nil { return true }
        return owner(monitor.ownerID)?.maintenance.occurrence(containing: date) != nil
    }

    /// Whether the monitor's parent (checked here, enabled) is down or failing now.
    /// With `orChecking` (the child's status changes now), a parent whose check is in flight counts
    /// too: a child and its parent fail together, and the child's result may simply arrive first (its
    /// alert then waits for the parent's verdict, one of the child's intervals). Not when a kept alert
    /// is reconsidered: a slow parent in flight must not keep it back again and again.
    func parentDown(_ monitor: MonitorRecord, orChecking: Bool = false) -> Bool {
        guard let parentID = monitor.dependsOn, parentID != monitor.id, let parent = entries[parentID] else {
            return false
        }
        return parent.record.status == .down || parent.record.failStreak > 0 || (orChecking && parent.inFlight)
    }

    /// Whether the parent went down while the child's alert was kept for it; when it did not (its
    /// check was only in flight), the alert goes out without "what it depends on is back".
    func parentFailed(since date: Date, _ monitor: MonitorRecord) -> Bool {
        guard let parentID = monitor.dependsOn, let parent = entries[parentID]?.record else { return false }
        return parent.status != .up || (parent.statusSince ?? .distantPast) > date
    }

    /// Monitors behind `id` that fail with it (what its down alert sums up).
    func failingChildren(of id: ObjectId) -> Int {
        entries.values.reduce(0) { count, entry in
            let child = entry.record
            return count
                + (child.dependsOn == id && child.id != id && (child.failStreak > 0 || child.status == .down)
                    ? 1 : 0)
        }
    }

    /// Per owner with reminders on (and not muted): their monitors down and not acknowledged, not kept
    /// back, not in maintenance — when at least one of them has been down for the reminder period.
    func reminders(now: Date) -> [Int64: [MonitorRecord]] {
        var candidates: [Int64: [MonitorRecord]] = [:]
        for entry in entries.values {
            let monitor = entry.record
            guard monitor.status == .down, monitor.currentAck == nil, monitor.heldAlert == nil,
                let profile = owner(monitor.ownerID), profile.reminderHours > 0, !profile.isMuted(at: now),
                !inMaintenance(monitor, at: now)
            else { continue }
            candidates[monitor.ownerID, default: []].append(monitor)
        }
        return candidates.filter { owner, monitors in
            let period = Double(self.owner(owner)?.reminderHours ?? 0) * 3600
            return monitors.contains { now.timeIntervalSince($0.statusSince ?? now) >= period }
        }
    }
}
