import BSON
import Foundation
import Mongo
import TestSupport
import Testing

struct MongoCollectionTests {
    @Test func reportsTheServerVersionOfTheRealMongod() async throws {
        let version = try await TestMongo.requireClient().serverVersion()
        print("MongoDB tests run against a real mongod \(version)")
        #expect(!version.isEmpty && version != "unknown")
    }

    @Test func insertFindSortLimitProjection() async throws {
        try await TestMongo.withDatabase { db in
            let c = db.collection("items")
            try await c.insertMany(
                (0..<10).map { ["_id": .int64(Int64($0)), "n": .int64(Int64($0 % 3)), "label": .string("item \($0)")] })
            let found = try await c.find(
                ["n": 1], options: FindOptions(sort: ["_id": -1], limit: 2, projection: ["label": 1]))
            #expect(found.map { $0["_id"] } == [.int64(7), .int64(4)])
            #expect(found.first?["n"] == nil)
            #expect(try await c.count(["n": 0]) == 4)
            #expect(try await c.findOne(["_id": 3])?["label"] == "item 3")
        }
    }

    @Test func updateOperatorsAndUpsert() async throws {
        try await TestMongo.withDatabase { db in
            let c = db.collection("docs")
            let upserted = try await c.updateOne(
                ["_id": "a"], ["$set": ["x": 1], "$push": ["list": "p"]], upsert: true)
            #expect(upserted.upsertedID == "a")
            try await c.updateOne(["_id": "a"], ["$inc": ["x": 2], "$push": ["list": "q"]])
            try await c.updateOne(["_id": "a"], ["$pull": ["list": "p"], "$unset": ["gone": 1]])
            let doc = try #require(try await c.findOne(["_id": "a"]))
            #expect(doc["x"]?.intValue == 3)
            #expect(doc["list"] == ["q"])
            let after = try await c.findOneAndUpdate(["_id": "b"], ["$set": ["y": true]], upsert: true, returnNew: true)
            #expect(after?["y"] == true)
            #expect(try await c.deleteMany([:]) == 2)
        }
    }

    @Test func duplicateKeyIsItsOwnErrorWithServerCode11000() async throws {
        try await TestMongo.withDatabase { db in
            let c = db.collection("uniq")
            try await c.createIndexes([IndexModel(keys: ["k": 1], name: "k", unique: true)])
            try await c.insertOne(["k": "same"])
            do {
                try await c.insertOne(["k": "same"])
                Issue.record("expected a duplicate key error")
            } catch let error as MongoError {
                #expect(error.kind == .duplicateKey)
                #expect(error.code == 11000)
            }
        }
    }

    @Test func aggregateGroupsOnTheServer() async throws {
        try await TestMongo.withDatabase { db in
            let c = db.collection("agg")
            try await c.insertMany((0..<6).map { ["ok": .bool($0 % 3 != 0)] })
            let rows = try await c.aggregate([
                ["$group": ["_id": .null, "ok": ["$sum": ["$cond": ["$ok", 1, 0]]], "n": ["$sum": 1]]]
            ])
            #expect(rows.first?["ok"]?.intValue == 4)
            #expect(rows.first?["n"]?.intValue == 6)
        }
    }

    @Test func invalidURIIsATypedErrorWithoutThePassword() throws {
        do {
            _ = try MongoClient(uri: "mongodb://user:s3cr3tpass@host:notaport/")
            Issue.record("expected invalidURI")
        } catch let error as MongoError {
            #expect(error.kind == .invalidURI)
            #expect(!error.description.contains("s3cr3tpass"))
        }
    }

    @Test func unreachableServerFailsWithUnavailableWithinTheSelectionTimeout() async throws {
        let client = try MongoClient(
            uri: "mongodb://127.0.0.1:1/", timeouts: MongoTimeouts(serverSelection: .milliseconds(300)))
        await #expect(throws: MongoError.self) { try await client.ping() }
        do { try await client.ping() } catch let error as MongoError { #expect(error.kind == .unavailable) }
        await client.shutdown()
    }
}

struct MongoTimeoutTests {
    @Test func timeoutsWrittenInTheURIWinOverTheDefaults() async throws {
        // 200 ms from the URI, not the 30 s default passed in code: the failure comes quickly.
        let client = try MongoClient(
            uri: "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200",
            timeouts: MongoTimeouts(serverSelection: .seconds(30)))
        let started = ContinuousClock.now
        await #expect(throws: MongoError.self) { try await client.ping() }
        #expect(started.duration(to: .now) < .seconds(20), "the URI's 200 ms applied, not the 30 s default")
        await client.shutdown()
    }
}
