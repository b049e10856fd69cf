import KeyedSerialization
import Synchronization

/// Keeps each conversation's state and data in memory once read, so the read every update starts with
/// costs no round trip while a user is in a dialog. Writes go to `base` first, then into the cache; the
/// operations on one key are serialized here, so the cache holds what `base` holds as long as this
/// process is the only writer (one bot instance: Telegram hands updates to a single poller). Edits
/// made elsewhere, such as a document changed in mongosh, are seen once the entry is `ttl` old.
public final class CachingFSMStorage: FSMStorage {
    private struct Entry {
        var record: FSMRecord
        var loadedAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [StorageKey: Entry] = [:]
    }

    public let base: any FSMStorage
    private let ttl: Duration
    private let maxEntries: Int
    private let state = Mutex(State())
    /// Keys with an operation running here, with the operations waiting for it.
    private let turns = KeyedSerialQueue<StorageKey>()

    public init(base: any FSMStorage, ttl: Duration = .seconds(60), maxEntries: Int = 50_000) {
        self.base = base
        self.ttl = ttl
        self.maxEntries = maxEntries
    }

    // MARK: reads

    public func getRecord(for key: StorageKey) async throws -> FSMRecord {
        if let record = cached(key) { return record }
        return try await exclusively(key) {
            if let record = cached(key) { return record }  // loaded while this call waited
            let record = try await base.getRecord(for: key)
            remember(record, for: key, loadedNow: true)
            return record
        }
    }

    public func getState(for key: StorageKey) async throws -> String? { try await getRecord(for: key).state }
    public func getData(for key: StorageKey) async throws -> StateData { try await getRecord(for: key).data }

    // MARK: writes (base first, then the cache)

    public func setState(_ state: String?, for key: StorageKey) async throws {
        try await write(key, { try await base.setState(state, for: key) }) { $0.state = state }
    }

    public func setData(_ data: StateData, for key: StorageKey) async throws {
        try FSMStorageError.validate(data)
        try await write(key, { try await base.setData(data, for: key) }) { $0.data = data }
    }

    public func setState(_ state: String?, data: StateData, for key: StorageKey) async throws {
        try FSMStorageError.validate(data)
        try await write(key, { try await base.setState(state, data: data, for: key) }) {
            $0 = FSMRecord(state: state, data: data)
        }
    }

    public func clear(_ key: StorageKey) async throws {
        try await write(key, { try await base.clear(key) }) { $0 = FSMRecord(state: nil, data: [:]) }
    }

    @discardableResult
    public func updateData(_ changes: StateData, for key: StorageKey) async throws -> StateData {
        try FSMStorageError.validate(changes)
        return try await merge(changes, into: key, settingState: nil)
    }

    @discardableResult
    public func updateData(_ changes: StateData, settingState state: String, for key: StorageKey) async throws
        -> StateData
    {
        try FSMStorageError.validate(changes)
        return try await merge(changes, into: key, settingState: state)
    }

    public func close() async { await base.close() }

    /// With the record known, the merged record is written whole (no read-back: nothing else writes this
    /// key meanwhile); otherwise `base` merges and answers with the data.
    private func merge(_ changes: StateData, into key: StorageKey, settingState newState: String?) async throws
        -> StateData
    {
        try await exclusively(key) {
            do {
                if var record = cached(key) {
                    record.data.merge(changes) { _, new in new }
                    if let newState { record.state = newState }
                    try await base.setState(record.state, data: record.data, for: key)
                    remember(record, for: key, loadedNow: false)
                    return record.data
                }
                if let newState {
                    let data = try await base.updateData(changes, settingState: newState, for: key)
                    remember(FSMRecord(state: newState, data: data), for: key, loadedNow: true)
                    return data
                }
                return try await base.updateData(changes, for: key)  // the state is unknown here: nothing to cache
            } catch {
                forget(key)  // the write may or may not have landed
                throw error
            }
        }
    }

    private func write(_ key: StorageKey, _ body: () async throws -> Void, then change: (inout FSMRecord) -> Void)
        async throws
    {
        try await exclusively(key) {
            do {
                try await body()
            } catch {
                forget(key)
                throw error
            }
            if var record = cached(key) {
                change(&record)
                remember(record, for: key, loadedNow: false)
            }
        }
    }

    // MARK: the cache

    private func cached(_ key: StorageKey) -> FSMRecord? {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.loadedAt.duration(to: now) < ttl else {
                state.entries[key] = nil
                return nil
            }
            return entry.record
        }
    }

    /// Stores `record`; an entry updated by a write keeps the time it was loaded, so edits made elsewhere
    /// still show within `ttl` of the last read from `base`.
    private func remember(_ record: FSMRecord, for key: StorageKey, loadedNow: Bool) {
        guard ttl > .zero else { return }
        let now = ContinuousClock.now
        state.withLock { state in
            let loadedAt = loadedNow ? now : (state.entries[key]?.loadedAt ?? now)
            if state.entries[key] == nil, state.entries.count >= maxEntries {
                state.entries = state.entries.filter { $0.value.loadedAt.duration(to: now) < ttl }
                if state.entries.count >= maxEntries { state.entries.removeAll(keepingCapacity: true) }
            }
            state.entries[key] = Entry(record: record, loadedAt: loadedAt)
        }
    }

    private func forget(_ key: StorageKey) {
        state.withLock { _ = $0.entries.removeValue(forKey: key) }
    }

    // MARK: one operation per key at a time

    private func exclusively<T>(_ key: StorageKey, _ body: () async throws -> T) async throws -> T {
        try await turns.exclusively(key, body)
    }
}
