import BSON
import Foundation
import Mongo
import TelegramAPI

/// The inbox in `inbox`: `{_id: update_id, update: {…as Telegram sent it}, handled, received_at}`; once
/// handled only `{_id, handled, received_at}` stay (what recognising a re-delivery needs): the body, which
/// may hold someone else's phone from a refused contact share, is dropped. A TTL index on
/// `received_at` drops entries after two days (Telegram keeps an update 24 hours); `_id` being the
/// update id makes a re-delivered update a duplicate key, which is how `record` recognises it.
public struct MongoUpdateInboxRepository: UpdateInboxRepository {
    let collection: MongoCollection
    /// Marks come one per handled update; concurrent ones go out as one bulk write.
    let batcher: MongoBatcher

    public init(database: MongoDatabase) {
        collection = database.collection("inbox")
        batcher = MongoBatcher(collection: collection)
    }

    public func record(_ updates: [Update]) async throws -> Set<Int64> {
        guard !updates.isEmpty else { return [] }
        let now = Date()
        let encoder = BSONEncoder()
        let outcomes = try await collection.bulkWrite(
            try updates.map { update in
                .insertOne([
                    "_id": .int64(update.updateID), "update": .document(try encoder.encode(update)), "handled": false,
                    "received_at": .datetime(now),
                ])
            })
        var known = Set<Int64>()
        for (update, outcome) in zip(updates, outcomes) {
            switch outcome {
            case .success: break
            case .failure(let error) where error.kind == .duplicateKey: known.insert(update.updateID)
            case .failure(let error): throw error
            }
        }
        return known
    }

    public func markHandled(_ id: Int64) async throws {
        try await batcher.updateOne(
            ["_id": .int64(id)],
            [
                "$set": ["handled": true], "$unset": ["update": ""],
                "$setOnInsert": ["received_at": .datetime(Date())],
            ], upsert: true)
    }

    public func unhandled() async throws -> (entries: [InboxEntry], highestID: Int64?) {
        let entries = try await collection.find(["handled": false], options: FindOptions(sort: ["_id": 1])).compactMap {
            document -> InboxEntry? in
            guard let id = document["_id"]?.intValue.map(Int64.init), let update = document["update"]?.documentValue
            else { return nil }
            do {
                return InboxEntry(id: id, update: .success(try BSONDecoder().decode(Update.self, from: update)))
            } catch {
                return InboxEntry(id: id, update: .failure(UnreadableUpdate(reason: "\(error)")))
            }
        }
        let highest = try await collection.find(
            [:], options: FindOptions(sort: ["_id": -1], limit: 1, projection: ["_id": 1])
        ).first
        return (entries, highest?["_id"]?.intValue.map(Int64.init))
    }
}
