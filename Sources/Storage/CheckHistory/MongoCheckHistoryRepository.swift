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
        try await collection.find(
            ["monitor_id": .objectId(monitorID)], options: FindOptions(sort: ["at": -1], limit: limit),
            as: CheckRecord.self)
    }

    /// One aggregation reads the longest window once and counts every window in the same pass.
    public func uptime(monitorID: ObjectId, since windows: [Date]) async throws -> [UptimeSummary] {
        guard let earliest = windows.min() else { return [] }
        var group: BSONDocument = ["_id": .null]
        for (index, start) in windows.enumerated() {
            let inWindow: BSONValue = ["$gte": ["$at", .datetime(start)]]
            group["total\(index)"] = ["$sum": ["$cond": [inWindow, 1, 0]]]
            group["ok\(index)"] = ["$sum": ["$cond": [["$and": [inWindow, "$ok"]], 1, 0]]]
            // `slow` is absent on most checks: `$ifNull` reads it as false.
            group["slow\(index)"] = [
                "$sum": [
                    "$cond": [["$and": [inWindow, "$ok", ["$eq": [["$ifNull": ["$slow", false]], true]]]], 1, 0]
                ]
            ]
        }
        let rows = try await collection.aggregate([
            // Planned maintenance is left out of uptime.
            [
                "$match": [
                    "monitor_id": .objectId(monitorID), "at": ["$gte": .datetime(earliest)],
                    "maintenance": ["$ne": true],
                ]
            ],
            ["$group": .document(group)],
        ])
        return windows.indices.map { index in
            UptimeSummary(
                total: rows.first?["total\(index)"]?.intValue ?? 0, ok: rows.first?["ok\(index)"]?.intValue ?? 0,
                slow: rows.first?["slow\(index)"]?.intValue ?? 0)
        }
    }

    public func deleteAll(monitorID: ObjectId) async throws {
        try await collection.deleteMany(["monitor_id": .objectId(monitorID)])
    }
}
