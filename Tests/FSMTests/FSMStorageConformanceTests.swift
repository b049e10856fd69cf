import BSON
import FSM
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

/// One suite, every storage: the memory storage, the MongoDB storage on a real mongod, and the MongoDB
/// storage behind the bot's cache behave alike.
enum StorageKind: String, CaseIterable, CustomTestStringConvertible {
    case memory, mongo, cachedMongo
    var testDescription: String { rawValue }

    func withStorage(_ body: (any FSMStorage) async throws -> Void) async throws {
        switch self {
        case .memory: try await body(MemoryFSMStorage())
        case .mongo:
            try await TestMongo.withDatabase { db in
                try await body(MongoFSMStorage(database: db, logger: TestMongo.logger))
            }
        case .cachedMongo:
            try await TestMongo.withDatabase { db in
                try await body(CachingFSMStorage(base: MongoFSMStorage(database: db, logger: TestMongo.logger)))
            }
        }
    }
}

struct FSMStorageConformanceTests {
    let key = StorageKey(botID: 1, chatID: 100, userID: 200)

    @Test(arguments: StorageKind.allCases)
    func stateIsSetReadAndCleared(_ kind: StorageKind) async throws {
        try await kind.withStorage { storage in
            #expect(try await storage.getState(for: key) == nil)
            try await storage.setState("AddMonitor:target", for: key)
            #expect(try await storage.getState(for: key) == "AddMonitor:target")
            try await storage.setState(nil, for: key)
            #expect(try await storage.getState(for: key) == nil)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func dataIsReplacedMergedAndCleared(_ kind: StorageKind) async throws {
        try await kind.withStorage { storage in
            #expect(try await storage.getData(for: key) == [:])
            try await storage.setData(["kind": "icmp", "page": 2], for: key)
            let merged = try await storage.updateData(["target": "10.0.0.1", "page": 3], for: key)
            #expect(merged == ["kind": "icmp", "page": 3, "target": "10.0.0.1"])
            #expect(try await storage.getData(for: key) == merged)
            try await storage.setData([:], for: key)
            #expect(try await storage.getData(for: key) == [:])
        }
    }

    @Test(arguments: StorageKind.allCases)
    func nestedValuesRoundTrip(_ kind: StorageKind) async throws {
        try await kind.withStorage { storage in
            let data: StateData = ["list": .array([1, "two", true, .null]), "obj": .object(["x": .double(1.5)])]
            try await storage.setData(data, for: key)
            #expect(try await storage.getData(for: key) == data)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func clearRemovesStateAndData(_ kind: StorageKind) async throws {
        try await kind.withStorage { storage in
            try await storage.setState("S:s", for: key)
            try await storage.setData(["a": 1], for: key)
            try await storage.clear(key)
            #expect(try await storage.getState(for: key) == nil)
            #expect(try await storage.getData(for: key) == [:])
        }
    }

    @Test(arguments: StorageKind.allCases)
    func keysIsolateChatsUsersThreadsAndDestinies(_ kind: StorageKind) async throws {
        try await kind.withStorage { storage in
            let others = [
                StorageKey(botID: 1, chatID: 101, userID: 200), StorageKey(botID: 1, chatID: 100, userID: 201),
                StorageKey(botID: 1, chatID: 100, userID: 200, threadID: 5),
                StorageKey(botID: 1, chatID: 100, userID: 200, destiny: "other"),
            ]
            try await storage.setState("Mine:state", for: key)
            for other in others { #expect(try await storage.getState(for: other) == nil) }
        }
    }

    /// Once into a key nobody has written yet, once into one a cache already holds.
    @Test(arguments: StorageKind.allCases, [false, true])
    func concurrentUpdatesOfOneKeyAllSurvive(_ kind: StorageKind, known: Bool) async throws {
        try await kind.withStorage { storage in
            let writers = 200
            if known {
                try await storage.setState("Busy:state", for: key)
                _ = try await storage.getRecord(for: key)  // a cache now knows the record
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<writers {
                    group.addTask { try await storage.updateData(["field\(i)": .int(i)], for: key) }
                }
                try await group.waitForAll()
            }
            let data = try await storage.getData(for: key)
            #expect(data.count == writers)
            #expect((0..<writers).allSatisfy { data["field\($0)"] == .int($0) })
        }
    }

    @Test(arguments: StorageKind.allCases)
    func fieldNamesWithDotsOrDollarsAreRefused(_ kind: StorageKind) async throws {
        try await kind.withStorage { storage in
            for bad in ["a.b", "$set", ""] {
                await #expect(throws: FSMStorageError.invalidFieldName(bad)) {
                    try await storage.updateData([bad: 1], for: key)
                }
            }
            let data = try await storage.getData(for: key)
            #expect(data == [:])
        }
    }

    @Test(arguments: StorageKind.allCases)
    func contextWrapsStorageWithNamedStates(_ kind: StorageKind) async throws {
        try await kind.withStorage { storage in
            let context = FSMContext(storage: storage, key: key)
            try await context.setState(FSMState("AddMonitor", "name"))
            try await context.updateData(["target": "example.org"])
            #expect(try await context.getState() == "AddMonitor:name")
            #expect(try await context.getData()["target"] == "example.org")
            try await context.clear()
            #expect(try await context.getState() == nil)
        }
    }
}
