import BSON
import FSM
import Logging
import Mongo

/// Conversation state in MongoDB, document for document as aiogram's `MongoStorage` writes it:
/// `{_id: "fsm:<chat>:<user>", state: "Group:state", data: {...}}`; an empty record is deleted.
/// Every operation is a single-document read or write by `_id`, so concurrent users' operations go to
/// mongod together (`MongoBatcher`): one command per batch instead of one per operation.
public struct MongoFSMStorage: FSMStorage {
    public let collection: MongoCollection
    public let keyBuilder: KeyBuilder
    public let batcher: MongoBatcher
    let logger: Logger

    public init(
        database: MongoDatabase, collectionName: String = "fsm_states", keyBuilder: KeyBuilder = KeyBuilder(),
        logger: Logger
    ) {
        self.collection = database.collection(collectionName)
        self.batcher = MongoBatcher(collection: collection)
        self.keyBuilder = keyBuilder
        self.logger = logger
    }

    public func setState(_ state: String?, for key: StorageKey) async throws {
        let id = BSONValue.string(keyBuilder.build(key))
        if let state {
            try await batcher.updateOne(["_id": id], ["$set": ["state": .string(state)]], upsert: true)
        } else {
            try await unsetField("state", id: id)
        }
    }

    public func getState(for key: StorageKey) async throws -> String? {
        try await getRecord(for: key).state
    }

    public func getData(for key: StorageKey) async throws -> StateData {
        try await getRecord(for: key).data
    }

    public func getRecord(for key: StorageKey) async throws -> FSMRecord {
        let id = keyBuilder.build(key)
        return record(try await batcher.findOne(id: .string(id)), id: id)
    }

    public func setData(_ data: StateData, for key: StorageKey) async throws {
        try FSMStorageError.validate(data)
        let id = BSONValue.string(keyBuilder.build(key))
        if data.isEmpty {
            try await unsetField("data", id: id)
        } else {
            try await batcher.updateOne(["_id": id], ["$set": ["data": .document(Self.document(data))]], upsert: true)
        }
    }

    /// `$set` on `data.<field>` with upsert: the server merges, so concurrent updates of one key all survive.
    /// The data returned is read right after the write (it includes this merge and any that followed).
    @discardableResult
    public func updateData(_ changes: StateData, for key: StorageKey) async throws -> StateData {
        try FSMStorageError.validate(changes)
        guard !changes.isEmpty else { return try await getData(for: key) }
        return try await merge(changes, state: nil, for: key)
    }

    public func setState(_ state: String?, data: StateData, for key: StorageKey) async throws {
        try FSMStorageError.validate(data)
        let id = BSONValue.string(keyBuilder.build(key))
        if state == nil && data.isEmpty {
            try await batcher.deleteOne(["_id": id])
            return
        }
        var set = BSONDocument()
        var unset = BSONDocument()
        if let state { set["state"] = .string(state) } else { unset["state"] = 1 }
        if data.isEmpty { unset["data"] = 1 } else { set["data"] = .document(Self.document(data)) }
        var update: BSONDocument = ["$set": .document(set)]
        if !unset.isEmpty { update["$unset"] = .document(unset) }
        try await batcher.updateOne(["_id": id], update, upsert: true)
    }

    @discardableResult
    public func updateData(_ changes: StateData, settingState state: String, for key: StorageKey) async throws
        -> StateData
    {
        try FSMStorageError.validate(changes)
        return try await merge(changes, state: state, for: key)
    }

    public func clear(_ key: StorageKey) async throws {
        try await batcher.deleteOne(["_id": .string(keyBuilder.build(key))])
    }

    private func merge(_ changes: StateData, state: String?, for key: StorageKey) async throws -> StateData {
        let id = keyBuilder.build(key)
        var set = BSONDocument()
        if let state { set["state"] = .string(state) }
        for (field, value) in changes.sorted(by: { $0.key < $1.key }) { set["data.\(field)"] = Self.bson(value) }
        try await batcher.updateOne(["_id": .string(id)], ["$set": .document(set)], upsert: true)
        return record(try await batcher.findOne(id: .string(id)), id: id).data
    }

    /// Removes one field, then the document if nothing is left (aiogram does the same).
    private func unsetField(_ field: String, id: BSONValue) async throws {
        try await batcher.updateOne(["_id": id], ["$unset": [field: 1]])
        try await batcher.deleteOne(["_id": id, "state": ["$exists": false], "data": ["$exists": false]])
    }

    private func record(_ document: BSONDocument?, id: String) -> FSMRecord {
        guard let document else { return FSMRecord(state: nil, data: [:]) }
        return FSMRecord(state: decodeState(document["state"], id: id), data: decodeData(document["data"], id: id))
    }

    private func decodeState(_ value: BSONValue?, id: String) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?:
            logger.warning(
                "FSM document has a state that is not a string; treating as no state",
                metadata: ["key": "\(id)", "state": "\(other)"])
            return nil
        }
    }

    private func decodeData(_ value: BSONValue?, id: String) -> StateData {
        switch value {
        case nil, .null?: return [:]
        case .document(let d)?: return Self.stateData(d)
        case let other?:
            logger.warning(
                "FSM document has data that is not a document; treating as empty",
                metadata: ["key": "\(id)", "data": "\(other)"])
            return [:]
        }
    }

    static func document(_ data: StateData) -> BSONDocument {
        BSONDocument(data.sorted { $0.key < $1.key }.map { ($0.key, bson($0.value)) })
    }

    static func bson(_ value: StateValue) -> BSONValue {
        switch value {
        case .string(let s): return .string(s)
        case .int(let i): return .int64(Int64(i))
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .array(let a): return .array(a.map(bson))
        case .object(let o): return .document(document(o))
        case .null: return .null
        }
    }

    static func stateData(_ document: BSONDocument) -> StateData {
        var data = StateData()
        for (key, value) in document { data[key] = stateValue(value) }
        return data
    }

    static func stateValue(_ value: BSONValue) -> StateValue {
        switch value {
        case .string(let s): return .string(s)
        case .int32(let i): return .int(Int(i))
        case .int64(let i): return .int(Int(i))
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .array(let a): return .array(a.map(stateValue))
        case .document(let d): return .object(stateData(d))
        case .objectId(let o): return .string(o.hex)
        case .datetime(let date): return .double(date.timeIntervalSince1970)
        default: return .null
        }
    }
}
