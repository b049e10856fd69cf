import BSON
import Foundation
import Logging
import Mongo

public struct MongoUserRepository: UserRepository {
    let collection: MongoCollection
    /// Every update reads its sender: concurrent reads go out as one `find`.
    let batcher: MongoBatcher
    /// Holds `{_id: "first_admin", user_id, at}` once the first admin is chosen.
    let meta: MongoCollection
    let reader: DocumentReader

    public init(database: MongoDatabase, logger: Logger) {
        collection = database.collection("users")
        batcher = MongoBatcher(collection: collection)
        meta = database.collection("meta")
        reader = DocumentReader(collection: "users", logger: logger)
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
        // Access is never changed by signing in again: only setAccess (an admin, the sweep) changes it.
        for key in ["settings", "created_at", "role", "access", "granted_by", "access_notice_pending"] {
            onInsert[key] = encoded[key]
        }
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

    public func count() async throws -> Int { try await collection.count() }

    public func list(ids: [Int64]) async throws -> [UserRecord] {
        guard !ids.isEmpty else { return [] }
        return reader.decode(
            UserRecord.self, try await collection.find(["_id": ["$in": .array(Set(ids).map { .int64($0) })]]))
    }

    public func setAccess(_ id: Int64, _ change: AccessChange) async throws -> UserRecord? {
        var set = BSONDocument()
        if let access = change.access { set["access"] = .string(access.rawValue) }
        if let role = change.role { set["role"] = .string(role.rawValue) }
        if let grantedBy = change.grantedBy { set["granted_by"] = .string(grantedBy.rawValue) }
        if let noticePending = change.noticePending { set["access_notice_pending"] = .bool(noticePending) }
        guard !set.isEmpty else { return try await get(id) }
        guard
            let document = try await collection.findOneAndUpdate(
                ["_id": .int64(id)], ["$set": .document(set)], returnNew: true)
        else { return nil }
        return try BSONDecoder().decode(UserRecord.self, from: document)
    }

    public func claimFirstAdmin(_ user: UserRecord) async throws -> Bool {
        do {
            _ = try await meta.insertOne(["_id": "first_admin", "user_id": .int64(user.id), "at": .datetime(Date())])
        } catch let error as MongoError where error.kind == .duplicateKey {
            return false
        }
        try await upsert(user)
        _ = try await setAccess(
            user.id, AccessChange(access: user.access, role: user.role, grantedBy: user.grantedBy, noticePending: false)
        )
        return true
    }

    public func admins() async throws -> [UserRecord] {
        reader.decode(
            UserRecord.self,
            try await collection.find(["role": "admin", "access": "active"], options: FindOptions(sort: ["_id": 1])))
    }

    public func page(skip: Int, limit: Int) async throws -> [UserRecord] {
        reader.decode(
            UserRecord.self,
            try await collection.find(
                [:], options: FindOptions(sort: ["created_at": 1, "_id": 1], limit: max(1, limit), skip: max(0, skip))))
    }

    public func touch(_ id: Int64, at: Date) async throws {
        try await collection.updateOne(["_id": .int64(id)], ["$set": ["last_seen_at": .datetime(at)]])
    }
}
