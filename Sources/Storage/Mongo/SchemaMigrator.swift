import BSON
import FSM
import Foundation
import Logging
import Mongo

/// One schema step. Steps run in order, once each; the applied version is kept in
/// `meta` as `{_id: "schema_version", version, applied_at}` so a database says where it is.
public struct Migration: Sendable {
    public let version: Int
    public let description: String
    public let apply: @Sendable (MongoDatabase) async throws -> Void

    public init(version: Int, description: String, apply: @escaping @Sendable (MongoDatabase) async throws -> Void) {
        self.version = version
        self.description = description
        self.apply = apply
    }
}

public struct SchemaMigrator: Sendable {
    public let database: MongoDatabase
    public let migrations: [Migration]
    /// The TTL of check history, set on every start after the migrations (it follows a setting, not
    /// a version); nil leaves it alone.
    let checkRetention: Duration?
    /// The TTL of the audit trail, set on every start like `checkRetention`; nil leaves it alone.
    let auditRetention: Duration?
    let logger: Logger

    public init(
        database: MongoDatabase, migrations: [Migration], checkRetention: Duration? = nil,
        auditRetention: Duration? = nil, logger: Logger
    ) {
        self.database = database
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.checkRetention = checkRetention
        self.auditRetention = auditRetention
        self.logger = logger
    }

    /// The migrations UptimeBot ships with. `checkRetention` sets the TTL of check history.
    public static func standard(
        database: MongoDatabase, checkRetention: Duration = .seconds(30 * 86_400),
        auditRetention: Duration = .seconds(365 * 86_400), logger: Logger
    ) -> SchemaMigrator {
        SchemaMigrator(
            database: database,
            migrations: [
                Migration(version: 1, description: "indexes on users, monitors, checks, outbox") { db in
                    try await db.collection("users").createIndexes([IndexModel(keys: ["phone": 1], name: "phone")])
                    try await db.collection("monitors").createIndexes([
                        IndexModel(keys: ["owner_id": 1], name: "owner_id"),
                        IndexModel(
                            keys: ["owner_id": 1, "kind": 1, "target": 1], name: "owner_kind_target", unique: true),
                        IndexModel(keys: ["enabled": 1], name: "enabled"),
                    ])
                    try await db.collection("checks").createIndexes([
                        IndexModel(keys: ["monitor_id": 1, "at": -1], name: "monitor_at")
                    ])
                    try await db.collection("outbox").createIndexes([
                        IndexModel(keys: ["dedupe_key": 1], name: "dedupe_key", unique: true),
                        IndexModel(keys: ["state": 1, "not_before": 1], name: "state_not_before"),
                    ])
                },
                Migration(version: 2, description: "inbox of updates taken from Telegram, kept two days") { db in
                    try await db.collection("inbox").createIndexes([
                        IndexModel(
                            keys: ["received_at": 1], name: "received_at_ttl", expireAfter: .seconds(2 * 86_400)),
                        // Only the few unhandled entries, so a start finds them without reading two days of updates.
                        IndexModel(
                            keys: ["handled": 1, "_id": 1], name: "unhandled", partialFilter: ["handled": false]),
                    ])
                },
                Migration(version: 3, description: "index of monitors with alerts not yet moved to the outbox") { db in
                    // Partial: only the few monitors with a pending alert, so a start finds them at once.
                    try await db.collection("monitors").createIndexes([
                        IndexModel(
                            keys: ["pending_alerts.key": 1], name: "pending_alerts",
                            partialFilter: ["pending_alerts.key": ["$exists": true]])
                    ])
                },
                Migration(version: 4, description: "access: users signed in before it are active plain users") { db in
                    let users = db.collection("users")
                    try await users.updateMany(
                        ["access": ["$exists": false]],
                        ["$set": ["access": "active", "role": "user", "granted_by": "migrated"]])
                    try await users.createIndexes([IndexModel(keys: ["role": 1, "access": 1], name: "role_access")])
                    try await db.collection("audit").createIndexes([
                        IndexModel(keys: ["target_id": 1, "at": -1], name: "target_at")
                    ])
                },
                Migration(version: 5, description: "index of monitors by their last chat edit") { db in
                    // Every cluster instance asks every two seconds what was edited since: without it,
                    // each question reads every monitor. Partial: monitors never edited are not in it.
                    try await db.collection("monitors").createIndexes([
                        IndexModel(
                            keys: ["updated_at": 1], name: "updated_at",
                            partialFilter: ["updated_at": ["$exists": true]])
                    ])
                },
            ], checkRetention: checkRetention, auditRetention: auditRetention, logger: logger)
    }

    /// A TTL index on `collection.at` follows its setting (collMod when it changed).
    private func setRetention(_ retention: Duration, collection: String) async throws {
        do {
            try await database.collection(collection).createIndexes([
                IndexModel(keys: ["at": 1], name: "at_ttl", expireAfter: retention)
            ])
        } catch let error as MongoError where error.code == 85 {
            // IndexOptionsConflict: the retention changed; adjust the existing TTL in place.
            try await database.runCommand([
                "collMod": .string(collection),
                "index": ["name": "at_ttl", "expireAfterSeconds": .int64(retention.components.seconds)],
            ])
        }
    }

    /// Applies every step above the stored version; returns the version now in effect.
    @discardableResult
    public func migrate() async throws -> Int {
        let meta = database.collection("meta")
        let current = try await meta.findOne(["_id": "schema_version"])?["version"]?.intValue ?? 0
        var version = current
        for migration in migrations {
            guard migration.version > version else { continue }
            logger.info(
                "applying schema migration",
                metadata: ["version": "\(migration.version)", "step": "\(migration.description)"])
            try await migration.apply(database)
            version = migration.version
            try await meta.updateOne(
                ["_id": "schema_version"],
                ["$set": ["version": .int64(Int64(version)), "applied_at": .datetime(Date())]], upsert: true)
        }
        if let checkRetention { try await setRetention(checkRetention, collection: "checks") }
        if let auditRetention { try await setRetention(auditRetention, collection: "audit") }
        return version
    }
}
