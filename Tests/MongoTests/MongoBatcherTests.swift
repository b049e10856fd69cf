import BSON
import Mongo
import TestSupport
import Testing

/// `MongoBatcher` sends concurrent single-document operations together; each caller keeps its own outcome.
struct MongoBatcherTests {
    @Test func concurrentWritesAndReadsAllLandAndShareCommands() async throws {
        try await TestMongo.withDatabase { db in
            let batcher = MongoBatcher(collection: db.collection("batched"))
            let users = 300
            try await withThrowingTaskGroup(of: Void.self) { group in
                for user in 0..<users {
                    group.addTask {
                        let id = BSONValue.string("user-\(user)")
                        try await batcher.updateOne(["_id": id], ["$set": ["n": .int64(Int64(user))]], upsert: true)
                        try await batcher.updateOne(["_id": id], ["$inc": ["n": 1]])
                        let document = try await batcher.findOne(id: id)
                        #expect(document?["n"]?.intValue == user + 1)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await db.collection("batched").count() == users)
            let sent = batcher.sent
            #expect(sent.operations == users * 3)
            // 300 callers at once cannot all have found the wire free: some commands carried several operations.
            #expect(sent.commands < sent.operations)
        }
    }

    @Test func aMissingIdReadsNilAndEveryCallerOfARepeatedOrRetypedIdGetsTheDocument() async throws {
        try await TestMongo.withDatabase { db in
            let collection = db.collection("reads")
            try await collection.insertMany([["_id": 1, "v": "one"], ["_id": "two", "v": "two"]])
            let batcher = MongoBatcher(collection: collection)
            let ids: [BSONValue] = [.int32(1), "two", .int64(1), "missing", .double(1), "two"]
            let found = try await withThrowingTaskGroup(of: (Int, BSONDocument?).self) { group in
                for (index, id) in ids.enumerated() { group.addTask { (index, try await batcher.findOne(id: id)) } }
                var found = [BSONDocument?](repeating: nil, count: ids.count)
                for try await (index, document) in group { found[index] = document }
                return found
            }
            #expect(found.map { $0?["v"]?.stringValue } == ["one", "two", "one", nil, "one", "two"])
            let sent = batcher.sent
            #expect(
                sent.commands < sent.operations,
                "the reads were not batched, so matching documents back to callers went untested")
        }
    }

    @Test func aDuplicateKeyFailsOnlyItsOwnWriteInTheBatch() async throws {
        try await TestMongo.withDatabase { db in
            let collection = db.collection("unique")
            try await collection.createIndexes([IndexModel(keys: ["email": 1], name: "email", unique: true)])
            let batcher = MongoBatcher(collection: collection)
            let outcomes = await withTaskGroup(of: (Int, (any Error)?).self) { group in
                for n in 0..<40 {
                    group.addTask {
                        // n = 7 and n = 8 want the same email: one of them must fail, and only it.
                        let email = n == 8 ? "user7@example.org" : "user\(n)@example.org"
                        do {
                            try await batcher.updateOne(
                                ["_id": .int64(Int64(n))], ["$set": ["email": .string(email)]], upsert: true)
                            return (n, nil)
                        } catch { return (n, error) }
                    }
                }
                var outcomes: [Int: (any Error)?] = [:]
                for await (n, error) in group { outcomes[n] = error }
                return outcomes
            }
            let failed = outcomes.filter { $0.value != nil }
            #expect(failed.count == 1)
            #expect(failed.keys.allSatisfy { $0 == 7 || $0 == 8 })
            #expect((failed.values.first.flatMap { $0 } as? MongoError)?.kind == .duplicateKey)
            #expect(try await collection.count() == 39)
            let sent = batcher.sent
            #expect(
                sent.commands < sent.operations, "the 40 writes were not batched, so per-index errors went untested")
        }
    }

    @Test func aMalformedUpdateFailsAloneAndDeletesWork() async throws {
        try await TestMongo.withDatabase { db in
            let collection = db.collection("mixed")
            try await collection.insertMany([["_id": "keep"], ["_id": "drop"]])
            let batcher = MongoBatcher(collection: collection)
            async let bad: Void = batcher.updateOne(["_id": "keep"], ["not-an-operator": 1])
            async let good: Void = batcher.updateOne(["_id": "keep"], ["$set": ["ok": true]])
            async let delete: Void = batcher.deleteOne(["_id": "drop"])
            var badFailed = false
            do { try await bad } catch is MongoError { badFailed = true }
            #expect(badFailed)
            try await good
            try await delete
            #expect(try await collection.find().map { $0["_id"] } == ["keep"])
            #expect(try await batcher.findOne(id: "keep")?["ok"] == true)
        }
    }

    @Test func equalityReadsAndCountsOfManyCallersEachGetTheirOwnAnswer() async throws {
        try await TestMongo.withDatabase { db in
            let collection = db.collection("monitors")
            // owner n has n monitors, targets "10.0.<n>.<i>".
            try await collection.insertMany(
                (0..<12).flatMap { owner in
                    (0..<owner).map { i in
                        ["owner_id": .int64(Int64(owner)), "kind": "icmp", "target": .string("10.0.\(owner).\(i)")]
                            as BSONDocument
                    }
                })
            let batcher = MongoBatcher(collection: collection)
            let answers = try await withThrowingTaskGroup(of: (Int, Int, Bool, Bool).self) { group in
                for owner in 0..<12 {
                    group.addTask {
                        let count = try await batcher.count("owner_id", equals: .int32(Int32(owner)))
                        let has =
                            try await batcher.findOne([
                                "owner_id": .int64(Int64(owner)), "kind": "icmp", "target": .string("10.0.\(owner).0"),
                            ]) != nil
                        let hasOther =
                            try await batcher.findOne([
                                "owner_id": .int64(Int64(owner)), "kind": "http", "target": .string("10.0.\(owner).0"),
                            ]) != nil
                        return (owner, count, has, hasOther)
                    }
                }
                var answers: [(Int, Int, Bool, Bool)] = []
                for try await answer in group { answers.append(answer) }
                return answers.sorted { $0.0 < $1.0 }
            }
            #expect(answers.map(\.1) == Array(0..<12))
            #expect(answers.map(\.2) == (0..<12).map { $0 > 0 })
            #expect(answers.allSatisfy { !$0.3 })
            let sent = batcher.sent
            #expect(
                sent.commands < sent.operations, "nothing was batched, so $in, $or and grouped counts went untested")
            var refused = false
            do { _ = try await batcher.findOne(["owner_id": ["$gt": 3]]) } catch is MongoError { refused = true }
            #expect(refused, "operators cannot be matched back to their caller, so they are refused")
        }
    }

    @Test func aBulkWriteReportsEachOperationsOwnOutcome() async throws {
        try await TestMongo.withDatabase { db in
            let collection = db.collection("bulk")
            try await collection.insertOne(["_id": "taken", "n": 0])
            let outcomes = try await collection.bulkWrite([
                .insertOne(["_id": "new", "n": 1]),
                .insertOne(["_id": "taken", "n": 2]),
                .updateOne(filter: ["_id": "new"], update: ["$inc": ["n": 10]], upsert: false),
                .updateOne(filter: ["_id": "new"], update: ["$bogus": ["n": 1]], upsert: false),
                .deleteOne(filter: ["_id": "taken"]),
            ])
            #expect(outcomes.count == 5)
            func kind(_ outcome: Result<Void, MongoError>) -> MongoError.Kind? {
                if case .failure(let error) = outcome { return error.kind } else { return nil }
            }
            #expect(kind(outcomes[0]) == nil)
            #expect(kind(outcomes[1]) == .duplicateKey)
            #expect(kind(outcomes[2]) == nil)
            #expect(kind(outcomes[3]) == .server)
            #expect(kind(outcomes[4]) == nil)
            #expect(try await collection.findOne(["_id": "new"])?["n"]?.intValue == 11)
            #expect(try await collection.count() == 1)
            #expect(try await collection.bulkWrite([]).isEmpty)
        }
    }
}
