import BSON
import Foundation
import Mongo

public struct MongoUserRepository: UserRepository {
    let collection: MongoCollection
    /// Every update reads its sender: concurrent reads go out as one `find`.
    let batcher: MongoBatcher

    public init(database: MongoDatabase) {
        collection = database.collection("users")
        batcher = MongoBatcher(collection: collection)
    }

    public func get(_ id: Int64) async throws -> UserRecord? {
        guard let document = try await batcher.findOne(id: .int64(id)) else { return nil }
        return try BSONDecoder().decode(UserRecord.self, from: document)
    }

    public func upsert(_ user: UserRecord) async throws {
        let encoded = try BSONEncoder().encode(user)
        var set: BSONDocument = [
            "phone": .string(user.phone), "first_name": .string(user.firstName), "language": .string(user.language),
            "unreachable": false,
        ]
        set["username"] = user.username.map(BSONValue.string) ?? .null
        var onInsert = BSONDocument()
        for key in ["settings", "created_at"] { onInsert[key] = encoded[key] }
        try await collection.updateOne(
            ["_id": .int64(user.id)], ["$set": .document(set), "$setOnInsert": .document(onInsert)], upsert: true)
    }

    public func updateSettings(_ id: Int64, _ settings: UserSettings) async throws {
        try await collection.updateOne(
            ["_id": .int64(id)], ["$set": ["settings": try BSONEncoder().encodeValue(settings)]])
    }

    public func setLanguage(_ id: Int64, _ language: String) async throws {
        try await collection.updateOne(["_id": .int64(id)], ["$set": ["language": .string(language)]])
    }

    public func setUnreachable(_ id: Int64, _ unreachable: Bool) async throws {
        try await collection.updateOne(["_id": .int64(id)], ["$set": ["unreachable": .bool(unreachable)]])
    }

    public func list(ids: [Int64]) async throws -> [UserRecord] {
        guard !ids.isEmpty else { return [] }
        return try await collection.find(["_id": ["$in": .array(Set(ids).map { .int64($0) })]], as: UserRecord.self)
    }
}
