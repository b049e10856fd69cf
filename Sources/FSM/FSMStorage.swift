/// Where conversation state and data live (aiogram's `BaseStorage`). States are named `Group:state`.
/// Implementations: `MemoryFSMStorage` here, `MongoFSMStorage` in the Storage module.
public protocol FSMStorage: Sendable {
    /// Sets the state; nil clears it (and with no data left, removes the record).
    func setState(_ state: String?, for key: StorageKey) async throws
    func getState(for key: StorageKey) async throws -> String?
    /// Replaces the data; empty data clears it (and with no state left, removes the record).
    func setData(_ data: StateData, for key: StorageKey) async throws
    func getData(for key: StorageKey) async throws -> StateData
    /// Merges `changes` into the data atomically — two concurrent updates of one key both survive —
    /// and returns the data after the merge.
    @discardableResult
    func updateData(_ changes: StateData, for key: StorageKey) async throws -> StateData
    /// Removes state and data.
    func clear(_ key: StorageKey) async throws
    /// Sets state and replaces data in one step (one round trip where the storage allows).
    func setState(_ state: String?, data: StateData, for key: StorageKey) async throws
    /// Merges `changes` and sets the state in one atomic step: a dialog moving to its next step.
    @discardableResult
    func updateData(_ changes: StateData, settingState state: String, for key: StorageKey) async throws -> StateData
    /// State and data together (one round trip where the storage allows).
    func getRecord(for key: StorageKey) async throws -> FSMRecord
    func close() async
}

/// A conversation's state and data as read together.
public struct FSMRecord: Sendable, Equatable {
    public var state: String?
    public var data: StateData

    public init(state: String?, data: StateData) {
        self.state = state
        self.data = data
    }
}

extension FSMStorage {
    public func getRecord(for key: StorageKey) async throws -> FSMRecord {
        FSMRecord(state: try await getState(for: key), data: try await getData(for: key))
    }

    public func setState(_ state: String?, data: StateData, for key: StorageKey) async throws {
        try await setData(data, for: key)
        try await setState(state, for: key)
    }

    public func updateData(_ changes: StateData, settingState state: String, for key: StorageKey) async throws
        -> StateData
    {
        let data = try await updateData(changes, for: key)
        try await setState(state, for: key)
        return data
    }

    public func clear(_ key: StorageKey) async throws {
        try await setState(nil, for: key)
        try await setData([:], for: key)
    }

    public func close() async {}
}

/// Why data could not be stored.
public enum FSMStorageError: Error, Equatable, CustomStringConvertible {
    /// Field names become MongoDB paths (`data.<field>`), so "." and a leading "$" are refused.
    case invalidFieldName(String)

    public var description: String {
        switch self {
        case .invalidFieldName(let name):
            return "FSM data field name \"\(name)\" may not contain \".\" or start with \"$\""
        }
    }

    public static func validate(_ data: StateData) throws {
        for name in data.keys where name.isEmpty || name.contains(".") || name.hasPrefix("$") || name.contains("\0") {
            throw FSMStorageError.invalidFieldName(name)
        }
    }
}
