import BSON
import FSM
import Logging
import Mongo

/// Conversation state in MongoDB, document for document as aiogram's `MongoStorage` writes it:
/// `{_id: "fsm:<chat>:<user>", state: "Group:state", data: {...}}`; an empty record is deleted.
public struct MongoFSMStorage: FSMStorage {
    public let collection: MongoCollection
    public let keyBuilder: KeyBuilder
    let logger: Logger

    public init(database: MongoDatabase, collectionName: String = "fsm_states", keyBuilder: KeyBuilder = KeyBuilder(), logger: Logger) {
        self.collection = database.collection(collectionName)
        self.keyBuilder = keyBuilder
        self.logger = logger
    }

    public func setState(_ state: String?, for key: StorageKey) async throws {
        let id = BSONValue.string(keyBuilder.build(key))
        if let state {
            try await collection.updateOne(["_id": id], ["$set": ["state": .string(state)]], upsert: true)
        } else {
            try await unsetField("state", id: id)
        }
    }

    public func getState(for key: StorageKey) async throws -> String? {
        let id = keyBuilder.build(key)
        guard let document = try await collection.findOne(["_id": .string(id)], projection: ["state": 1]) else { return nil }
        return decodeState(document["state"], id: id)
    }

    private func decodeState(_ value: BSONValue?, id: String) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?:
            logger.warning("FSM document has a state that is not a string; treating as no state", metadata: ["key": "\(id)", "state": "\(other)"])
            return nil
        }
    }

    public func getRecord(for key: StorageKey) async throws -> FSMRecord {
        let id = keyBuilder.build(key)
        guard let document = try await collection.findOne(["_id": .string(id)]) else { return FSMRecord(state: nil, data: [:]) }
        return FSMRecord(state: decodeState(document["state"], id: id), data: decodeData(document["data"], id: id))
    }

    public func setData(_ data: StateData, for key: StorageKey) async throws {
        try FSMStorageError.validate(data)
        let id = BSONValue.string(keyBuilder.build(key))
        if data.isEmpty {
            try await unsetField("data", id: id)
        } else {
            try await collection.updateOne(["_id": id], ["$set": ["data": .document(Self.document(data))]], upsert: true)
        }
    }

    public func getData(for key: StorageKey) async throws -> StateData {
        let id = keyBuilder.build(key)
        guard let document = try await collection.findOne(["_id": .string(id)], projection: ["data": 1]) else { return [:] }
        return decodeData(document["data"], id: id)
    }

    /// One findAndModify with `$set` on `data.<field>`, upsert, return-new: concurrent updates of one key
    /// are merged by the server, never lost.
    public func updateData(_ changes: StateData, for key: StorageKey) async throws -> StateData {
        try FSMStorageError.validate(changes)
        guard !changes.isEmpty else { return try await getData(for: key) }
        let id = keyBuilder.build(key)
        var set = BSONDocument()
        for (field, value) in changes.sorted(by: { $0.key < $1.key }) { set["data.\(field)"] = Self.bson(value) }
        let updated = try await collection.findOneAndUpdate(
            ["_id": .string(id)], ["$set": .document(set)], upsert: true, returnNew: true, projection: ["data": 1])
        return decodeData(updated?["data"], id: id)
    }

    public func setState(_ state: String?, data: StateData, for key: StorageKey) async throws {
        try FSMStorageError.validate(data)
        let id = BSONValue.string(keyBuilder.build(key))
        if state == nil && data.isEmpty {
            try await collection.deleteOne(["_id": id])
            return
        }
        var set = BSONDocument(), unset = BSONDocument()
        if let state { set["state"] = .string(state) } else { unset["state"] = 1 }
        if data.isEmpty { unset["data"] = 1 } else { set["data"] = .document(Self.document(data)) }
        var update: BSONDocument = ["$set": .document(set)]
        if !unset.isEmpty { update["$unset"] = .document(unset) }
        try await collection.updateOne(["_id": id], update, upsert: true)
    }

    public func updateData(_ changes: StateData, settingState state: String, for key: StorageKey) async throws -> StateData {
        try FSMStorageError.validate(changes)
        let id = keyBuilder.build(key)
        var set: BSONDocument = ["state": .string(state)]
        for (field, value) in changes.sorted(by: { $0.key < $1.key }) { set["data.\(field)"] = Self.bson(value) }
        let updated = try await collection.findOneAndUpdate(
            ["_id": .string(id)], ["$set": .document(set)], upsert: true, returnNew: true, projection: ["data": 1])
        return decodeData(updated?["data"], id: id)
    }

    public func clear(_ key: StorageKey) async throws {
        try await collection.deleteOne(["_id": .string(keyBuilder.build(key))])
    }

    /// Removes one field; deletes the document when nothing is left (aiogram does the same).
    private func unsetField(_ field: String, id: BSONValue) async throws {
        let after = try await collection.findOneAndUpdate(["_id": id], ["$unset": [field: 1]], returnNew: true)
        if let after, after.keys.allSatisfy({ $0 == "_id" }) {
            try await collection.deleteOne(["_id": id, "state": ["$exists": false], "data": ["$exists": false]])
        }
    }

    private func decodeData(_ value: BSONValue?, id: String) -> StateData {
        switch value {
        case nil, .null?: return [:]
        case .document(let d)?: return Self.stateData(d)
        case let other?:
            logger.warning("FSM document has data that is not a document; treating as empty", metadata: ["key": "\(id)", "data": "\(other)"])
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
