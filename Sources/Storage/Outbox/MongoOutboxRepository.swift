import BSON
import Foundation
import Mongo

/// Notifications waiting for Telegram in `outbox`; a unique index on `dedupe_key` makes enqueueing idempotent.
public struct MongoOutboxRepository: OutboxRepository {
    let collection: MongoCollection

    public init(database: MongoDatabase) { collection = database.collection("outbox") }

    public func enqueue(_ message: OutboxMessage) async throws -> Bool {
        do {
            try await collection.insertOne(try BSONEncoder().encode(message))
            return true
        } catch let error as MongoError where error.kind == .duplicateKey {
            return false
        }
    }

    public func due(now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await collection.find(
            ["state": "pending", "not_before": ["$lte": .datetime(now)]],
            options: FindOptions(sort: ["created_at": 1, "_id": 1], limit: limit), as: OutboxMessage.self)
    }

    public func markSent(_ id: ObjectId, at: Date) async throws {
        try await collection.updateOne(
            ["_id": .objectId(id)], ["$set": ["state": "sent", "sent_at": .datetime(at)], "$inc": ["attempts": 1]])
    }

    public func markFailed(_ id: ObjectId, error: String, retryAt: Date?, final: Bool) async throws {
        var set: BSONDocument = ["last_error": .string(error)]
        if final { set["state"] = "failed" }
        if let retryAt { set["not_before"] = .datetime(retryAt) }
        try await collection.updateOne(["_id": .objectId(id)], ["$set": .document(set), "$inc": ["attempts": 1]])
    }

    public func pendingCount() async throws -> Int { try await collection.count(["state": "pending"]) }

    public func pending(chatID: Int64, limit: Int) async throws -> [OutboxMessage] {
        try await collection.find(
            ["state": "pending", "chat_id": .int64(chatID)],
            options: FindOptions(sort: ["created_at": 1, "_id": 1], limit: limit), as: OutboxMessage.self)
    }
}
