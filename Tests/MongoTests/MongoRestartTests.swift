import BSON
import Foundation
import Mongo
import TestSupport
import Testing

struct MongoRestartTests {
    @Test func operationsFailTypedWhileMongodIsDownAndSucceedOnceItIsBack() async throws {
        let mongod = try MongodProcess()
        try await mongod.start()
        let client = try MongoClient(
            uri: mongod.uri, threads: 4, timeouts: MongoTimeouts(serverSelection: .milliseconds(800)))
        let items = client.database("restart").collection("items")
        try await items.insertOne(["_id": 1, "v": "before"])

        await mongod.stop()
        do {
            _ = try await items.findOne(["_id": 1])
            Issue.record("expected a failure while mongod is down")
        } catch let error as MongoError {
            #expect(error.kind == .unavailable, "got \(error)")
        }

        try await mongod.start()
        // The pool reconnects by itself; allow it a moment to notice the server is back.
        var found: BSONDocument?
        for _ in 0..<30 {
            if let doc = try? await items.findOne(["_id": 1]) {
                found = doc
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(found?["v"] == "before")
        try await items.insertOne(["_id": 2, "v": "after"])
        #expect(try await items.count() == 2)
        await client.shutdown()
    }
}
