import BSON
import Foundation
import Logging
import Mongo

/// Notifications waiting for Telegram in `outbox`; a unique index on `dedupe_key` makes enqueueing idempotent.
/// A pending document that cannot be read is marked failed with the reason (seen in mongosh and the
/// log), so it neither blocks the others nor comes back in every batch.
public struct MongoOutboxRepository: OutboxRepository {
    let collection: MongoCollection
    let reader: DocumentReader

    public init(database: MongoDatabase, logger: Logger) {
        collection = database.collection("outbox")
        reader = DocumentReader(collection: "outbox", logger: logger)
    }

    public func enqueue(_ message: OutboxMessage) async throws -> Bool {
        do {
            try await collection.insertOne(try BSONEncoder().encode(message))
            return true
        } catch let error as MongoError where error.kind == .duplicateKey {
            return false
        }
    }

    /// Fair across chats: the chats with the oldest due messages first, at most `OutboxFairness.perChat`
    /// messages of each, so one owner's hundred stuck messages leave room for everyone else.
    public func due(now: Date, limit: Int) async throws -> [OutboxMessage] {
        let documents = try await collection.aggregate([
            ["$match": ["state": "pending", "not_before": ["$lte": .datetime(now)]]],
            ["$sort": ["created_at": 1, "_id": 1]],
            [
                "$group": [
                    "_id": "$chat_id", "oldest": ["$first": "$created_at"],
                    "messages": ["$firstN": ["input": "$$ROOT", "n": .int64(Int64(OutboxFairness.perChat))]],
                ]
            ],
            ["$sort": ["oldest": 1, "_id": 1]],
            ["$limit": .int64(Int64(max(1, limit)))],
            ["$unwind": "$messages"],
            ["$replaceRoot": ["newRoot": "$messages"]],
            ["$limit": .int64(Int64(max(1, limit)))],
        ])
        return await readable(documents)
    }

    public func markSent(_ id: ObjectId, at: Date) async throws {
        try await collection.updateOne(
            ["_id": .objectId(id)], ["$set": ["state": "sent", "sent_at": .datetime(at)], "$inc": ["attempts": 1]])
    }

    /// One update with a filter claims each message atomically: of two senders racing for it, the
    /// one with the newer epoch wins, and an equal epoch keeps its first holder.
    public func claim(_ ids: [ObjectId], by claim: OutboxClaim, now: Date) async throws -> Set<ObjectId> {
        guard !ids.isEmpty else { return [] }
        let idList: BSONValue = .array(ids.map { .objectId($0) })
        try await collection.updateMany(
            [
                "_id": ["$in": idList], "state": "pending",
                "$or": [
                    ["claim_epoch": ["$exists": false]], ["claim_epoch": ["$lt": .int64(claim.epoch)]],
                    ["claim_epoch": .int64(claim.epoch), "claim_holder": .string(claim.holder)],
                ],
            ],
            [
                "$set": [
                    "claim_holder": .string(claim.holder), "claim_epoch": .int64(claim.epoch),
                    "claimed_at": .datetime(now),
                ]
            ])
        let mine = try await collection.find(
            ["_id": ["$in": idList], "claim_holder": .string(claim.holder), "claim_epoch": .int64(claim.epoch)],
            options: FindOptions(projection: ["_id": 1]))
        return Set(mine.compactMap { $0["_id"]?.objectIdValue })
    }

    public func markSent(_ id: ObjectId, at: Date, claim: OutboxClaim) async throws -> Bool {
        let result = try await collection.updateOne(
            ["_id": .objectId(id), "claim_holder": .string(claim.holder), "claim_epoch": .int64(claim.epoch)],
            ["$set": ["state": "sent", "sent_at": .datetime(at)], "$inc": ["attempts": 1]])
        return result.matchedCount > 0
    }

    public func markFailed(_ id: ObjectId, error: String, retryAt: Date?, final: Bool) async throws {
        var set: BSONDocument = ["last_error": .string(error)]
        if final { set["state"] = "failed" }
        if let retryAt { set["not_before"] = .datetime(retryAt) }
        try await collection.updateOne(["_id": .objectId(id)], ["$set": .document(set), "$inc": ["attempts": 1]])
    }

    public func pendingCount() async throws -> Int { try await collection.count(["state": "pending"]) }

    public func pending(chatID: Int64, limit: Int) async throws -> [OutboxMessage] {
        await readable(
            try await collection.find(
                ["state": "pending", "chat_id": .int64(chatID)],
                options: FindOptions(sort: ["created_at": 1, "_id": 1], limit: limit)))
    }

    /// Decodes what it can; an unreadable pending document is marked failed so it stops coming back.
    private func readable(_ documents: [BSONDocument]) async -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        for document in documents {
            if let message = reader.decode(OutboxMessage.self, document) {
                messages.append(message)
            } else if let id = document["_id"] {
                _ = try? await collection.updateOne(
                    ["_id": id, "state": "pending"],
                    ["$set": ["state": "failed", "last_error": "unreadable document (edited by hand?)"]])
            }
        }
        return messages
    }

    public func hold(_ id: ObjectId, reason: OutboxMessage.HoldReason, since: Date, until: Date) async throws {
        // The first hold's time stays (`$min`): a day's limit counts from when the owner was first unreachable.
        try await collection.updateOne(
            ["_id": .objectId(id), "state": "pending"],
            [
                "$set": ["held_reason": .string(reason.rawValue), "not_before": .datetime(until)],
                "$min": ["held_since": .datetime(since)],
            ])
    }

    public func releaseHeld(chatID: Int64, now: Date) async throws {
        try await collection.updateMany(
            [
                "state": "pending", "chat_id": .int64(chatID), "held_since": ["$exists": true],
                "not_before": ["$gt": .datetime(now)],
            ],
            ["$set": ["not_before": .datetime(now)]])
    }
}
