import BSON
import Foundation
import Logging
import Mongo
import Targets

public struct MongoMonitorRepository: MonitorRepository {
    let collection: MongoCollection
    /// The chat's point operations (create, get, count, exists) from concurrent users go out together.
    let batcher: MongoBatcher
    let logger: Logger

    public init(database: MongoDatabase, logger: Logger) {
        collection = database.collection("monitors")
        batcher = MongoBatcher(collection: collection)
        self.logger = logger
    }

    public func create(_ monitor: MonitorRecord) async throws {
        do {
            try await batcher.insertOne(try BSONEncoder().encode(monitor))
        } catch let error as MongoError where error.kind == .duplicateKey {
            throw MonitorRepositoryError.duplicate
        }
    }

    public func get(_ id: ObjectId) async throws -> MonitorRecord? {
        guard let document = try await batcher.findOne(id: .objectId(id)) else { return nil }
        return decode(document)
    }

    public func list(ownerID: Int64) async throws -> [MonitorRecord] {
        try await collection.find(
            ["owner_id": .int64(ownerID)], options: FindOptions(sort: ["created_at": 1, "_id": 1])
        )
        .compactMap(decode)
    }

    public func count(ownerID: Int64) async throws -> Int {
        try await batcher.count("owner_id", equals: .int64(ownerID))
    }

    public func exists(ownerID: Int64, kind: TargetKind, target: String) async throws -> Bool {
        try await batcher.findOne([
            "owner_id": .int64(ownerID), "kind": .string(kind.rawValue), "target": .string(target),
        ]) != nil
    }

    /// Enabled monitors with an id after `after` (all when nil).
    private static func enabled(after: ObjectId?) -> BSONDocument {
        var filter: BSONDocument = ["enabled": ["$ne": false]]
        if let after { filter["_id"] = ["$gt": .objectId(after)] }
        return filter
    }

    public func listEnabled(after: ObjectId?, limit: Int) async throws -> [MonitorRecord] {
        try await collection.find(Self.enabled(after: after), options: FindOptions(sort: ["_id": 1], limit: limit))
            .compactMap(
                decode)
    }

    /// Ids first (a projection, a few bytes a document), then the kept monitors in full.
    public func listEnabled(after: ObjectId?, limit: Int, keeping keep: @Sendable (ObjectId) -> Bool) async throws
        -> (monitors: [MonitorRecord], last: ObjectId?)
    {
        let ids = try await collection.find(
            Self.enabled(after: after), options: FindOptions(sort: ["_id": 1], limit: limit, projection: ["_id": 1])
        ).compactMap { $0["_id"]?.objectIdValue }
        let kept = ids.filter(keep)
        guard !kept.isEmpty else { return ([], ids.last) }
        let monitors = try await collection.find(
            ["_id": ["$in": .array(kept.map { .objectId($0) })], "enabled": ["$ne": false]],
            options: FindOptions(sort: ["_id": 1])
        ).compactMap(decode)
        return (monitors, ids.last)
    }

    public func update(_ id: ObjectId, ownerID: Int64, _ changes: MonitorChanges) async throws -> MonitorRecord? {
        var set: BSONDocument = ["updated_at": .datetime(Date())]
        if let name = changes.name { set["name"] = .string(name) }
        if let kind = changes.kind { set["kind"] = .string(kind.rawValue) }
        if let enabled = changes.enabled { set["enabled"] = .bool(enabled) }
        var unset: BSONDocument = [:]
        if let dependsOn = changes.dependsOn {
            if let parent = dependsOn { set["depends_on"] = .objectId(parent) } else { unset["depends_on"] = 1 }
        }
        if let maintenance = changes.maintenance {
            set["maintenance"] = .array(try maintenance.map { try BSONEncoder().encodeValue($0) })
        }
        var update: BSONDocument = [:]
        if let options = changes.options { set["options"] = try BSONEncoder().encodeValue(options) }
        if let keyword = changes.keyword {
            if let keyword { set["keyword"] = .string(keyword) } else { unset["keyword"] = 1 }
        }
        if let interval = changes.intervalSeconds {
            if let interval { set["interval"] = .int64(Int64(interval)) } else { unset["interval"] = 1 }
        }
        if let target = changes.target {
            set["target"] = .string(target)
            // A new target starts from "not yet checked".
            set["status"] = "unknown"
            set["fail_streak"] = 0
            set["success_streak"] = 0
            unset["status_since"] = 1
            unset["last_check"] = 1
            unset["slow"] = 1
            unset["certificate"] = 1
        }
        update["$set"] = .document(set)
        if !unset.isEmpty { update["$unset"] = .document(unset) }
        if changes.bumpsRevision { update["$inc"] = ["revision": 1] }
        do {
            let after = try await collection.findOneAndUpdate(
                ["_id": .objectId(id), "owner_id": .int64(ownerID)], update, returnNew: true)
            return after.flatMap(decode)
        } catch let error as MongoError where error.kind == .duplicateKey {
            throw MonitorRepositoryError.duplicate
        }
    }

    public func acknowledge(_ id: ObjectId, ownerID: Int64, _ ack: Acknowledgement) async throws -> AcknowledgeOutcome {
        let filter: BSONDocument = [
            "_id": .objectId(id), "owner_id": .int64(ownerID), "status": "down",
            "transitions": .int64(Int64(ack.counter)),
        ]
        if let after = try await collection.findOneAndUpdate(
            filter, ["$set": ["ack": try BSONEncoder().encodeValue(ack)]], returnNew: true)
        {
            return decode(after).map(AcknowledgeOutcome.acknowledged) ?? .notFound
        }
        return try await get(id)?.ownerID == ownerID ? .over : .notFound
    }

    public func delete(_ id: ObjectId, ownerID: Int64) async throws -> Bool {
        try await collection.deleteOne(["_id": .objectId(id), "owner_id": .int64(ownerID)]) > 0
    }

    /// One unordered bulk write with an update per monitor: a bad one does not stop the rest, and
    /// the first failure is thrown once all were tried. Deleted monitors match nothing and are skipped.
    public func recordChecks(_ states: [ObjectId: MonitorCheckState]) async throws {
        let updates = try states.map { id, state in
            MongoWrite.updateOne(
                filter: Self.stateFilter(id, state), update: try Self.stateUpdate(state), upsert: false)
        }
        for outcome in try await collection.bulkWrite(updates) { try outcome.get() }
    }

    /// The monitor, while it is at the revision the check ran under (a document from before
    /// revisions, without the field, is at revision 0).
    private static func stateFilter(_ id: ObjectId, _ state: MonitorCheckState) -> BSONDocument {
        var filter: BSONDocument = ["_id": .objectId(id)]
        if let revision = state.revision {
            filter["revision"] = revision == 0 ? ["$in": [.int64(0), .null]] : .int64(Int64(revision))
        }
        if let epoch = state.partitionEpoch {
            // Fencing: an instance deposed from the partition cannot overwrite its successor's state.
            filter["$or"] = [["partition_epoch": ["$exists": false]], ["partition_epoch": ["$lte": .int64(epoch)]]]
        }
        return filter
    }

    /// The state and its alerts in one update of one document: both land, or neither. `$addToSet`
    /// makes a retried write (its reply lost) add nothing twice.
    private static func stateUpdate(_ state: MonitorCheckState) throws -> BSONDocument {
        var set: BSONDocument = [
            "status": .string(state.status.rawValue),
            "fail_streak": .int64(Int64(state.failStreak)),
            "success_streak": .int64(Int64(state.successStreak)),
            "transitions": .int64(Int64(state.transitions)),
            "last_check": try BSONEncoder().encodeValue(state.lastCheck),
        ]
        set["status_since"] = state.statusSince.map(BSONValue.datetime) ?? .null
        if let slow = state.slow { set["slow"] = try BSONEncoder().encodeValue(slow) }
        if let certificate = state.certificate { set["certificate"] = try BSONEncoder().encodeValue(certificate) }
        if let epoch = state.partitionEpoch { set["partition_epoch"] = .int64(epoch) }
        var update: BSONDocument = ["$set": .document(set)]
        if let held = state.heldAlert {
            set["held_alert"] = try BSONEncoder().encodeValue(held)
            update["$set"] = .document(set)
        } else {
            update["$unset"] = ["held_alert": 1]
        }
        if !state.alerts.isEmpty {
            let alerts = try state.alerts.map { try BSONEncoder().encodeValue($0) }
            update["$addToSet"] = ["pending_alerts": ["$each": .array(alerts)]]
        }
        return update
    }

    public func editedSince(_ since: Date, limit: Int) async throws -> (ids: [ObjectId], latest: Date?) {
        let documents = try await collection.find(
            ["updated_at": ["$gt": .datetime(since)]],
            options: FindOptions(sort: ["updated_at": 1], limit: limit, projection: ["_id": 1, "updated_at": 1]))
        return (
            documents.compactMap { $0["_id"]?.objectIdValue },
            documents.compactMap { $0["updated_at"]?.dateValue }.max()
        )
    }

    public func pendingAlerts() async throws -> [ObjectId: [PendingAlert]] {
        // Served by the sparse index on pending_alerts.key: only the few monitors with something pending.
        let documents = try await collection.find(
            ["pending_alerts.key": ["$exists": true]],
            options: FindOptions(projection: ["_id": 1, "pending_alerts": 1]))
        var alerts: [ObjectId: [PendingAlert]] = [:]
        for document in documents {
            guard case .objectId(let id)? = document["_id"], case .array(let items)? = document["pending_alerts"]
            else { continue }
            for item in items {
                do {
                    alerts[id, default: []].append(try BSONDecoder().decode(PendingAlert.self, fromValue: item))
                } catch {
                    logger.warning(
                        "skipping an unreadable pending alert", metadata: ["_id": "\(id)", "error": "\(error)"])
                }
            }
        }
        return alerts
    }

    public func clearPendingAlerts(_ id: ObjectId, keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await collection.updateOne(
            ["_id": .objectId(id)],
            ["$pull": ["pending_alerts": ["key": ["$in": .array(keys.map(BSONValue.string))]]]])
    }

    /// A document that cannot be read (edited by hand) is skipped with a warning, never a crash.
    private func decode(_ document: BSONDocument) -> MonitorRecord? {
        do {
            return try BSONDecoder().decode(MonitorRecord.self, from: document)
        } catch {
            logger.warning(
                "skipping unreadable monitor document",
                metadata: ["_id": "\(document["_id"] ?? .null)", "error": "\(error)"])
            return nil
        }
    }
}
