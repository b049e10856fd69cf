import BSON
import Foundation
import Storage
import Targets

/// The rules of a user's watch list: ownership, the per-user limits (count, adds per minute), no duplicates.
public struct MonitorCatalog: Sendable {
    public enum AddResult: Sendable, Equatable {
        case added(MonitorRecord)
        case duplicate
        case limitReached(Int)
        /// MAX_ADDS_PER_MINUTE: the owner added this many in the last minute.
        case tooManyAdds(Int)
    }

    let monitors: any MonitorRepository
    let checks: any CheckHistoryRepository
    public let limit: Int
    public let addRate: AddRateLimit
    /// Told of every change, so the scheduler applies it at once.
    let changes: MonitorChangeFeed?

    public init(
        monitors: any MonitorRepository, checks: any CheckHistoryRepository, limit: Int, addsPerMinute: Int,
        changes: MonitorChangeFeed? = nil
    ) {
        self.monitors = monitors
        self.checks = checks
        self.limit = limit
        self.addRate = AddRateLimit(perMinute: addsPerMinute)
        self.changes = changes
    }

    public func list(ownerID: Int64) async throws -> [MonitorRecord] { try await monitors.list(ownerID: ownerID) }

    /// The monitor if `ownerID` owns it; nil for someone else's or a deleted one.
    public func owned(_ id: ObjectId, by ownerID: Int64) async throws -> MonitorRecord? {
        guard let monitor = try await monitors.get(id), monitor.ownerID == ownerID else { return nil }
        return monitor
    }

    public func isWatched(ownerID: Int64, kind: TargetKind, target: String) async throws -> Bool {
        try await monitors.exists(ownerID: ownerID, kind: kind, target: target)
    }

    /// Saves a new monitor unless the owner is at a limit or already watches `target`.
    /// - Parameter alreadyCountedUnderLimit: the caller counted the owner's monitors under `limit` and
    ///   nothing can have added one since; the count (a round trip to the database) is skipped.
    public func add(
        ownerID: Int64, kind: TargetKind, target: String, name: String, alreadyCountedUnderLimit: Bool = false
    ) async throws -> AddResult {
        if !alreadyCountedUnderLimit, try await monitors.count(ownerID: ownerID) >= limit {
            return .limitReached(limit)
        }
        guard addRate.allows(ownerID) else { return .tooManyAdds(addRate.perMinute) }
        let monitor = MonitorRecord(ownerID: ownerID, kind: kind, target: target, name: name)
        do {
            try await monitors.create(monitor)
            changes?.announce(monitor.id)
            addRate.record(ownerID)
            return .added(monitor)
        } catch MonitorRepositoryError.duplicate {
            return .duplicate
        }
    }

    public func delete(_ id: ObjectId, ownerID: Int64) async throws -> Bool {
        guard try await monitors.delete(id, ownerID: ownerID) else { return false }
        changes?.announce(id)
        try await checks.deleteAll(monitorID: id)
        return true
    }

    /// Records who took the monitor's current outage; the scheduler hears of it at once.
    public func acknowledge(_ id: ObjectId, ownerID: Int64, _ ack: Acknowledgement) async throws -> AcknowledgeOutcome {
        let outcome = try await monitors.acknowledge(id, ownerID: ownerID, ack)
        if case .acknowledged = outcome { changes?.announce(id) }
        return outcome
    }

    public func update(_ id: ObjectId, ownerID: Int64, _ changes: MonitorChanges) async throws -> MonitorRecord? {
        let updated = try await monitors.update(id, ownerID: ownerID, changes)
        if updated != nil { self.changes?.announce(id) }
        return updated
    }
}
