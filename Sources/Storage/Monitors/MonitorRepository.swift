import BSON
import Foundation
import Targets

public protocol MonitorRepository: Sendable {
    /// Throws `MonitorRepositoryError.duplicate` when the owner already has (kind, target).
    func create(_ monitor: MonitorRecord) async throws
    func get(_ id: ObjectId) async throws -> MonitorRecord?
    /// The owner's monitors, oldest first.
    func list(ownerID: Int64) async throws -> [MonitorRecord]
    func count(ownerID: Int64) async throws -> Int
    /// Whether the owner already watches (kind, target).
    func exists(ownerID: Int64, kind: TargetKind, target: String) async throws -> Bool
    /// One page of the enabled monitors of every owner (what the scheduler checks), by ascending id
    /// after `after`: the scheduler reloads in pages so ten thousand monitors never sit in memory twice.
    func listEnabled(after: ObjectId?, limit: Int) async throws -> [MonitorRecord]
    /// The same page (`limit` ids scanned after `after`), keeping only the monitors whose id `keep`
    /// accepts, and the last id scanned (nil: the list is at its end). For a cluster instance, which
    /// checks a share of the monitors: only that share is read and decoded in full.
    func listEnabled(after: ObjectId?, limit: Int, keeping keep: @Sendable (ObjectId) -> Bool) async throws
        -> (monitors: [MonitorRecord], last: ObjectId?)
    /// Applies the owner's changes; nil when no such monitor belongs to `ownerID`.
    func update(_ id: ObjectId, ownerID: Int64, _ changes: MonitorChanges) async throws -> MonitorRecord?
    /// Records who took the outage whose down transition is `ack.counter`, while the monitor is still
    /// in it (down, at that counter) — one conditional write, so a press racing the recovery cannot win.
    func acknowledge(_ id: ObjectId, ownerID: Int64, _ ack: Acknowledgement) async throws -> AcknowledgeOutcome
    /// Deletes the owner's monitor; false when none matched.
    func delete(_ id: ObjectId, ownerID: Int64) async throws -> Bool
    /// Persists the alert state of monitors after their checks, in one round trip (monitors deleted
    /// meanwhile are skipped).
    func recordChecks(_ states: [ObjectId: MonitorCheckState]) async throws
    /// Alerts written with a state and not yet moved to the outbox, by monitor (what a killed
    /// process left behind).
    func pendingAlerts() async throws -> [ObjectId: [PendingAlert]]
    /// Removes the alerts with these keys from the monitor once they are in the outbox.
    func clearPendingAlerts(_ id: ObjectId, keys: [String]) async throws
    /// Monitors created or edited in the chat after `since` (their `updated_at`), with the latest
    /// such time: how an edit made on one cluster instance reaches the instance checking the monitor.
    func editedSince(_ since: Date, limit: Int) async throws -> (ids: [ObjectId], latest: Date?)
}

extension MonitorRepository {
    /// Reads the whole page and filters it.
    public func listEnabled(after: ObjectId?, limit: Int, keeping keep: @Sendable (ObjectId) -> Bool) async throws
        -> (monitors: [MonitorRecord], last: ObjectId?)
    {
        let page = try await listEnabled(after: after, limit: limit)
        return (page.filter { keep($0.id) }, page.last?.id)
    }

    /// One process alone: its chat edits reach its scheduler through `MonitorChangeFeed`.
    public func editedSince(_ since: Date, limit: Int) async throws -> (ids: [ObjectId], latest: Date?) {
        ([], nil)
    }

    public func exists(ownerID: Int64, kind: TargetKind, target: String) async throws -> Bool {
        try await list(ownerID: ownerID).contains { $0.kind == kind && $0.target == target }
    }
}
