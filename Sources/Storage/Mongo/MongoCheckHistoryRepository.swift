import BSON
import Foundation
import Mongo

/// Check history in `checks`, expired by a TTL index on `at` (retention set at start-up).
public struct MongoCheckHistoryRepository: CheckHistoryRepository {
    let collection: MongoCollection

    public init(database: MongoDatabase) { collection = database.collection("checks") }

    public func append(_ checks: [CheckRecord]) async throws {
        let encoder = BSONEncoder()
        try await collection.insertMany(try checks.map { try encoder.encode($0) })
    }

    public func recent(monitorID: ObjectId, limit: Int) async throws -> [CheckRecord] {
        try await collection.find(["monitor_id": .objectId(monitorID)], options: FindOptions(sort: ["at": -1], limit: limit), as: CheckRecord.self)
    }

    public func uptime(monitorID: ObjectId, since: Date) async throws -> UptimeSummary {
        let result = try await collection.aggregate([
            ["$match": ["monitor_id": .objectId(monitorID), "at": ["$gte": .datetime(since)]]],
            ["$group": ["_id": .null, "total": ["$sum": 1], "ok": ["$sum": ["$cond": ["$ok", 1, 0]]]]],
        ])
        guard let row = result.first else { return UptimeSummary(total: 0, ok: 0) }
        return UptimeSummary(total: row["total"]?.intValue ?? 0, ok: row["ok"]?.intValue ?? 0)
    }

    public func deleteAll(monitorID: ObjectId) async throws {
        try await collection.deleteMany(["monitor_id": .objectId(monitorID)])
    }
}
