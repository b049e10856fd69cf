import BSON
import FSM
import Mongo
import Storage
import Synchronization
import TestSupport
import Testing

/// The bot's cache in front of the MongoDB storage: reads of a known conversation cost no round trip,
/// writes still land in MongoDB in aiogram's shape, and edits made in mongosh show after the TTL.
struct CachingFSMStorageTests {
    let key = StorageKey(botID: 1, chatID: 300, userID: 300)

    @Test func aDialogReadsTheStorageOnceAndWritesEveryStep() async throws {
        let base = CountingFSMStorage()
        let cache = CachingFSMStorage(base: base)
        for step in 0..<5 {
            let record = try await cache.getRecord(for: key)  // what the dispatcher does for every update
            #expect(record.data["step"] == (step == 0 ? nil : .int(step - 1)))
            try await cache.updateData(["step": .int(step)], settingState: "Dialog:step\(step)", for: key)
        }
        #expect(base.counts.reads == 1)
        #expect(base.counts.writes == 5)
        #expect(try await base.getRecord(for: key) == FSMRecord(state: "Dialog:step4", data: ["step": 4]))
        try await cache.clear(key)
        #expect(try await cache.getRecord(for: key) == FSMRecord(state: nil, data: [:]))
        #expect(try await base.getRecord(for: key) == FSMRecord(state: nil, data: [:]))
    }

    @Test func aFailedWriteDropsTheEntrySoTheNextReadAsksTheStorage() async throws {
        let base = CountingFSMStorage()
        let cache = CachingFSMStorage(base: base)
        try await cache.setState("Dialog:one", data: ["a": 1], for: key)
        _ = try await cache.getRecord(for: key)
        base.failWrites(true)
        await #expect(throws: CountingFSMStorage.Refused.self) {
            try await cache.updateData(["a": 2], settingState: "Dialog:two", for: key)
        }
        base.failWrites(false)
        let readsBefore = base.counts.reads
        #expect(try await cache.getRecord(for: key) == FSMRecord(state: "Dialog:one", data: ["a": 1]))
        #expect(base.counts.reads == readsBefore + 1)
    }

    @Test func writesThroughTheCacheAreAiogramDocumentsAndEditsInMongoShowAfterTheTTL() async throws {
        try await TestMongo.withDatabase { db in
            let mongo = MongoFSMStorage(database: db, logger: TestMongo.logger)
            let cache = CachingFSMStorage(base: mongo)  // a long TTL: the merge below takes the cached branch
            try await cache.setState("AddMonitor:target", data: ["kind": "icmp"], for: key)
            _ = try await cache.getRecord(for: key)
            try await cache.updateData(["target": "10.0.0.1"], settingState: "AddMonitor:name", for: key)
            let document = try #require(try await db.collection("fsm_states").findOne(["_id": "fsm:300:300"]))
            #expect(document["state"] == "AddMonitor:name")
            #expect(document["data"] == .document(["kind": "icmp", "target": "10.0.0.1"]))

            // An operator resets the user in mongosh; a bot whose entry has aged past its TTL sees it.
            let shortLived = CachingFSMStorage(base: mongo, ttl: .milliseconds(50))
            #expect(try await shortLived.getRecord(for: key).state == "AddMonitor:name")
            try await db.collection("fsm_states").deleteOne(["_id": "fsm:300:300"])
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await shortLived.getRecord(for: key) == FSMRecord(state: nil, data: [:]))
        }
    }

    @Test func concurrentUpdatesOfAKnownConversationAllReachMongo() async throws {
        try await TestMongo.withDatabase { db in
            let mongo = MongoFSMStorage(database: db, logger: TestMongo.logger)
            let cache = CachingFSMStorage(base: mongo)
            try await cache.setState("Busy:state", for: key)
            _ = try await cache.getRecord(for: key)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<100 { group.addTask { try await cache.updateData(["f\(i)": .int(i)], for: key) } }
                try await group.waitForAll()
            }
            let stored = try await mongo.getRecord(for: key)
            #expect(stored.state == "Busy:state")
            #expect(stored.data.count == 100)
            #expect(try await cache.getRecord(for: key) == stored)
        }
    }
}

/// A memory storage that counts reads and writes and can refuse writes.
final class CountingFSMStorage: FSMStorage {
    struct Refused: Error {}
    private let memory = MemoryFSMStorage()
    private let state = Mutex((reads: 0, writes: 0, failing: false))

    var counts: (reads: Int, writes: Int) { state.withLock { ($0.reads, $0.writes) } }
    func failWrites(_ failing: Bool) { state.withLock { $0.failing = failing } }

    private func read() { state.withLock { $0.reads += 1 } }
    private func write() throws {
        try state.withLock { state in
            if state.failing { throw Refused() }
            state.writes += 1
        }
    }

    func setState(_ s: String?, for key: StorageKey) async throws {
        try write()
        await memory.setState(s, for: key)
    }
    func getState(for key: StorageKey) async throws -> String? {
        read()
        return await memory.getState(for: key)
    }
    func setData(_ data: StateData, for key: StorageKey) async throws {
        try write()
        try await memory.setData(data, for: key)
    }
    func getData(for key: StorageKey) async throws -> StateData {
        read()
        return await memory.getData(for: key)
    }
    func updateData(_ changes: StateData, for key: StorageKey) async throws -> StateData {
        try write()
        return try await memory.updateData(changes, for: key)
    }
    func clear(_ key: StorageKey) async throws {
        try write()
        try await memory.clear(key)
    }
    func getRecord(for key: StorageKey) async throws -> FSMRecord {
        read()
        return try await memory.getRecord(for: key)
    }
    func setState(_ s: String?, data: StateData, for key: StorageKey) async throws {
        try write()
        try await memory.setState(s, data: data, for: key)
    }
    func updateData(_ changes: StateData, settingState s: String, for key: StorageKey) async throws -> StateData {
        try write()
        return try await memory.updateData(changes, settingState: s, for: key)
    }
}
