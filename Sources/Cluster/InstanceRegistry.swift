import BSON
import Foundation
import Mongo

/// One running `uptime-bot` as it announces itself in `instances`.
public struct InstanceRecord: Sendable, Equatable {
    /// The holder name it takes leases under (INSTANCE_NAME plus a token of this run).
    public var id: String
    public var name: String
    public var host: String
    public var startedAt: Date
    public var heartbeatAt: Date
    public var expiresAt: Date
    /// The monitor partitions it held at its last heartbeat.
    public var partitions: [Int]

    init?(_ document: BSONDocument) {
        guard let id = document["_id"]?.stringValue else { return nil }
        self.id = id
        name = document["name"]?.stringValue ?? id
        host = document["host"]?.stringValue ?? ""
        startedAt = document["started_at"]?.dateValue ?? .distantPast
        heartbeatAt = document["heartbeat_at"]?.dateValue ?? .distantPast
        expiresAt = document["expires_at"]?.dateValue ?? .distantPast
        partitions = (document["partitions"]?.arrayValue ?? []).compactMap(\.intValue)
    }

    public func isAlive(at now: Date) -> Bool { expiresAt > now }
}

/// The `instances` collection: each instance writes a heartbeat every few seconds; those whose
/// heartbeat ran out are gone (their documents stay a day, for `uptime-bot status`).
public struct InstanceRegistry: Sendable {
    let collection: MongoCollection

    public init(database: MongoDatabase) {
        collection = database.collection("instances")
    }

    /// The TTL index that removes an instance a day after its last heartbeat.
    public func prepare() async throws {
        try await collection.createIndexes([
            IndexModel(keys: ["expires_at": 1], name: "expires_at_ttl", expireAfter: .seconds(86_400))
        ])
    }

    public func heartbeat(
        id: String, name: String, host: String, startedAt: Date, now: Date, ttl: Duration, partitions: [Int]
    ) async throws {
        try await collection.updateOne(
            ["_id": .string(id)],
            [
                "$set": [
                    "name": .string(name), "host": .string(host), "started_at": .datetime(startedAt),
                    "heartbeat_at": .datetime(now), "expires_at": .datetime(now.addingTimeInterval(ttl.seconds)),
                    "partitions": .array(partitions.map { .int64(Int64($0)) }),
                ]
            ],
            upsert: true)
    }

    /// Ends this instance's entry at once on a clean stop, so the others take over without waiting.
    public func leave(id: String, now: Date) async throws {
        try await collection.updateOne(
            ["_id": .string(id)], ["$set": ["expires_at": .datetime(now), "partitions": .array([])]])
    }

    /// Every instance known, alive or not, by id.
    public func all() async throws -> [InstanceRecord] {
        try await collection.find([:], options: FindOptions(sort: ["_id": 1])).compactMap(InstanceRecord.init)
    }
}
