import BSON
import Foundation
import Mongo

/// Leases kept in MongoDB's `leases` collection, each taken and renewed with one findAndModify, so
/// two instances racing for one lease can never both win it.
public struct LeaseStore: Sendable {
    let collection: MongoCollection

    public init(database: MongoDatabase) {
        collection = database.collection("leases")
    }

    /// Takes `name` for `holder` when it is free (never taken, released or expired at `now`), raising
    /// its epoch; nil when someone else holds it. A lease `holder` holds already is renewed instead.
    public func acquire(_ name: String, holder: String, ttl: Duration, now: Date) async throws -> Lease? {
        let until = now.addingTimeInterval(ttl.seconds)
        if let renewed = try await renew(name, holder: holder, until: until) { return renewed }
        do {
            // Upsert: a lease never taken is created with epoch 1; one held by another matches nothing,
            // and the insert then fails on its _id (that is "held").
            let document = try await collection.findOneAndUpdate(
                ["_id": .string(name), "expires_at": ["$lte": .datetime(now)]],
                [
                    "$set": ["holder": .string(holder), "expires_at": .datetime(until), "taken_at": .datetime(now)],
                    "$inc": ["epoch": 1],
                ],
                upsert: true)
            return document.flatMap(Lease.init)
        } catch let error as MongoError where error.kind == .duplicateKey {
            return nil
        }
    }

    /// Extends a lease `holder` holds; nil when it holds it no more.
    public func renew(_ name: String, holder: String, until: Date) async throws -> Lease? {
        try await collection.findOneAndUpdate(
            ["_id": .string(name), "holder": .string(holder)], ["$set": ["expires_at": .datetime(until)]]
        ).flatMap(Lease.init)
    }

    /// Extends every lease among `names` that `holder` still holds, in one round trip; returns the
    /// leases it holds afterwards (by name).
    public func renewAll(_ names: [String], holder: String, until: Date) async throws -> [String: Lease] {
        guard !names.isEmpty else { return [:] }
        let filter: BSONDocument = ["_id": ["$in": .array(names.map { .string($0) })], "holder": .string(holder)]
        try await collection.updateMany(filter, ["$set": ["expires_at": .datetime(until)]])
        var held: [String: Lease] = [:]
        for case let lease? in try await collection.find(filter).map(Lease.init) {
            held[lease.name] = lease
        }
        return held
    }

    /// Gives leases up at once (the next taker does not wait for them to expire); the holder's name
    /// and epoch stay, for `uptime-bot status` and for the next epoch.
    public func release(_ names: [String], holder: String, now: Date) async throws {
        guard !names.isEmpty else { return }
        try await collection.updateMany(
            ["_id": ["$in": .array(names.map { .string($0) })], "holder": .string(holder)],
            ["$set": ["expires_at": .datetime(Date(timeIntervalSince1970: 0)), "released_at": .datetime(now)]])
    }

    /// Every lease, by name.
    public func all() async throws -> [Lease] {
        try await collection.find([:], options: FindOptions(sort: ["_id": 1])).compactMap(Lease.init)
    }
}
