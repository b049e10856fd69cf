/// One user's conversation, handed to each handler (aiogram's `FSMContext`).
public struct FSMContext: Sendable {
    public let storage: any FSMStorage
    public let key: StorageKey

    public init(storage: any FSMStorage, key: StorageKey) {
        self.storage = storage
        self.key = key
    }

    public func setState(_ state: FSMState?) async throws { try await storage.setState(state?.name, for: key) }
    public func getState() async throws -> String? { try await storage.getState(for: key) }
    public func setData(_ data: StateData) async throws { try await storage.setData(data, for: key) }
    public func getData() async throws -> StateData { try await storage.getData(for: key) }
    @discardableResult
    public func updateData(_ changes: StateData) async throws -> StateData { try await storage.updateData(changes, for: key) }
    public func clear() async throws { try await storage.clear(key) }
    /// Enters `state` with exactly `data` (one round trip).
    public func set(_ state: FSMState?, data: StateData) async throws { try await storage.setState(state?.name, data: data, for: key) }
    /// Merges `changes` and moves to `state` atomically (one round trip).
    @discardableResult
    public func update(_ changes: StateData, movingTo state: FSMState) async throws -> StateData {
        try await storage.updateData(changes, settingState: state.name, for: key)
    }
}

/// A named state, `Group:state` (e.g. `AddMonitor:target`), so a document in mongosh says where the user is.
public struct FSMState: Sendable, Hashable, CustomStringConvertible {
    public let group: String
    public let state: String
    public var name: String { "\(group):\(state)" }
    public var description: String { name }

    public init(_ group: String, _ state: String) {
        self.group = group
        self.state = state
    }

    public init?(name: String) {
        guard let colon = name.firstIndex(of: ":") else { return nil }
        group = String(name[..<colon])
        state = String(name[name.index(after: colon)...])
    }
}
