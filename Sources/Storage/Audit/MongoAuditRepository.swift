import BSON
import Foundation
import Mongo

/// Admin actions in `audit` (`{at, actor_id, action, target_id, details}`), expired by a TTL index
/// on `at` that follows AUDIT_RETENTION_DAYS (SchemaMigrator sets it on every start).
public struct MongoAuditRepository: AuditRepository {
    let collection: MongoCollection

    public init(database: MongoDatabase) { collection = database.collection("audit") }

    public func record(_ entry: AuditEntry) async throws { try await collection.insertOne(entry) }

    public func recent(limit: Int) async throws -> [AuditEntry] {
        try await collection.find(
            [:], options: FindOptions(sort: ["at": -1, "_id": -1], limit: max(1, limit)), as: AuditEntry.self)
    }
}
