import BSON
import FSM
import Mongo
import Storage
import TestSupport
import Testing

/// What the MongoDB storage leaves in the database: aiogram's documents, readable in mongosh.
struct MongoFSMDocumentTests {
    let key = StorageKey(botID: 7, chatID: -100500, userID: 42)

    @Test func documentsHaveAiogramShapeAndKey() async throws {
        try await TestMongo.withDatabase { db in
            let storage = MongoFSMStorage(database: db, logger: TestMongo.logger)
            try await storage.setState("AddMonitor:target", for: key)
            try await storage.updateData(["kind": "http"], for: key)
            let doc = try #require(try await db.collection("fsm_states").findOne(["_id": "fsm:-100500:42"]))
            #expect(doc == ["_id": "fsm:-100500:42", "state": "AddMonitor:target", "data": ["kind": "http"]])
        }
    }

    @Test func emptyStateAndDataDeleteTheDocument() async throws {
        try await TestMongo.withDatabase { db in
            let storage = MongoFSMStorage(database: db, logger: TestMongo.logger)
            try await storage.setState("S:s", for: key)
            try await storage.setData(["a": 1], for: key)
            try await storage.setState(nil, for: key)
            #expect(try await db.collection("fsm_states").count() == 1)
            try await storage.setData([:], for: key)
            #expect(try await db.collection("fsm_states").count() == 0)
        }
    }

    @Test func readsADocumentWrittenByAnAiogramBotInACustomCollection() async throws {
        try await TestMongo.withDatabase { db in
            // As aiogram's MongoStorage writes it (collection "states_and_data", a forum thread key).
            try await db.collection("states_and_data").insertOne([
                "_id": "fsm:-1001:77:42", "state": "Form:name", "data": ["lang": "ru", "n": .int32(3)],
            ])
            let storage = MongoFSMStorage(database: db, collectionName: "states_and_data", logger: TestMongo.logger)
            let forumKey = StorageKey(botID: 1, chatID: -1001, userID: 42, threadID: 77)
            #expect(try await storage.getState(for: forumKey) == "Form:name")
            #expect(try await storage.getData(for: forumKey) == ["lang": "ru", "n": 3])
        }
    }

    @Test func handEditedWrongTypesReadAsEmptyNotACrash() async throws {
        try await TestMongo.withDatabase { db in
            try await db.collection("fsm_states").insertOne([
                "_id": "fsm:-100500:42", "state": 12, "data": "not a document",
            ])
            let storage = MongoFSMStorage(database: db, logger: TestMongo.logger)
            #expect(try await storage.getState(for: key) == nil)
            #expect(try await storage.getData(for: key) == [:])
            // And the conversation can go on: a new state replaces the broken one.
            try await storage.setState("AddMonitor:kind", for: key)
            #expect(try await storage.getState(for: key) == "AddMonitor:kind")
        }
    }

    @Test func keyBuilderMatchesAiogramDefaultKeyBuilder() {
        #expect(KeyBuilder().build(StorageKey(botID: 1, chatID: 2, userID: 3)) == "fsm:2:3")
        #expect(KeyBuilder().build(StorageKey(botID: 1, chatID: 2, userID: 3, threadID: 9)) == "fsm:2:9:3")
        #expect(
            KeyBuilder(withBotID: true, withDestiny: true).build(StorageKey(botID: 1, chatID: 2, userID: 3))
                == "fsm:1:2:3:default")
    }
}
