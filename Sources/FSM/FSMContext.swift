import Synchronization

/// One user's conversation, handed to each handler (aiogram's `FSMContext`).
/// Reads are served from the record loaded when the update arrived (one round trip for state and
/// data) until the handler writes; every write goes to the storage and drops that snapshot.
public struct FSMContext: Sendable {
    public let storage: any FSMStorage
    public let key: StorageKey
    private let snapshot: Snapshot

    public init(storage: any FSMStorage, key: StorageKey) {
        self.storage = storage
        self.key = key
        self.snapshot = Snapshot()
    }

    /// Loads state and data together and keeps them for the reads that follow.
    @discardableResult
    public func load() async throws -> FSMRecord {
        let record = try await storage.getRecord(for: key)
        snapshot.set(record)
        return record
    }

    public func getState() async throws -> String? {
        if let record = snapshot.get() { return record.state }
        return try await storage.getState(for: key)
    }

    public func getData() async throws -> StateData {
        if let record = snapshot.get() { return record.data }
        return try await storage.getData(for: key)
    }

    public func setState(_ state: FSMState?) async throws {
        try await write { try await storage.setState(state?.name, for: key) }
    }
    public func setData(_ data: StateData) async throws {
        try await write { try await storage.setData(data, for: key) }
    }
    @discardableResult
    public func updateData(_ changes: StateData) async throws -> StateData {
        try await write { try await storage.updateData(changes, for: key) }
    }
    public func clear() async throws { try await write { try await storage.clear(key) } }
    /// Enters `state` with exactly `data` (one round trip).
    public func set(_ state: FSMState?, data: StateData) async throws {
        try await write { try await storage.setState(state?.name, data: data, for: key) }
    }
    /// Merges `changes` and moves to `state` atomically (one round trip).
    @discardableResult
    public func update(_ changes: StateData, movingTo state: FSMState) async throws -> StateData {
        try await write { try await storage.updateData(changes, settingState: state.name, for: key) }
    }

    private func write<T>(_ body: () async throws -> T) async throws -> T {
        snapshot.set(nil)
        return try await body()
    }

    /// Shared by the copies of one context (handlers receive it by value).
    final class Snapshot: Sendable {
        private let record = Mutex<FSMRecord?>(nil)
        func get() -> FSMRecord? { record.withLock { $0 } }
        func set(_ value: FSMRecord?) { record.withLock { $0 = value } }
    }
}

/// A named state, `Group:state` (e.g. `AddMonitor:target`), so a document in mongosh says where the user is.
public struct FSMState: Sendable, Hashable, CustomStringConvertible {
    public let group: String
    public let state: String
    /// Built once: routing compares it with the user's state for every route of every update.
    public let name: String
    public var description: String { name }

    public init(_ group: String, _ state: String) {
        self.group = group
        self.state = state
        self.name = "\(group):\(state)"
    }

    public init?(name: String) {
        guard let colon = name.firstIndex(of: ":") else { return nil }
        self.init(String(name[..<colon]), String(name[name.index(after: colon)...]))
    }
}
