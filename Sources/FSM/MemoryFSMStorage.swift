/// Conversation state in process memory: the embedded default when no MongoDB is configured.
/// Nothing survives a restart.
public actor MemoryFSMStorage: FSMStorage {
    private struct Record {
        var state: String?
        var data: StateData = [:]
    }
    private var records: [StorageKey: Record] = [:]

    public init() {}

    public func setState(_ state: String?, for key: StorageKey) {
        var record = records[key] ?? Record()
        record.state = state
        store(record, for: key)
    }

    public func getState(for key: StorageKey) -> String? { records[key]?.state }

    public func setData(_ data: StateData, for key: StorageKey) throws {
        try FSMStorageError.validate(data)
        var record = records[key] ?? Record()
        record.data = data
        store(record, for: key)
    }

    public func getData(for key: StorageKey) -> StateData { records[key]?.data ?? [:] }

    @discardableResult
    public func updateData(_ changes: StateData, for key: StorageKey) throws -> StateData {
        try FSMStorageError.validate(changes)
        var record = records[key] ?? Record()
        record.data.merge(changes) { _, new in new }
        store(record, for: key)
        return record.data
    }

    public func clear(_ key: StorageKey) { records[key] = nil }

    public func getRecord(for key: StorageKey) -> FSMRecord {
        FSMRecord(state: records[key]?.state, data: records[key]?.data ?? [:])
    }

    public func setState(_ state: String?, data: StateData, for key: StorageKey) throws {
        try FSMStorageError.validate(data)
        store(Record(state: state, data: data), for: key)
    }

    @discardableResult
    public func updateData(_ changes: StateData, settingState state: String, for key: StorageKey) throws -> StateData {
        try FSMStorageError.validate(changes)
        var record = records[key] ?? Record()
        record.data.merge(changes) { _, new in new }
        record.state = state
        store(record, for: key)
        return record.data
    }

    /// Empty records are dropped, as the MongoDB storage deletes empty documents.
    private func store(_ record: Record, for key: StorageKey) {
        records[key] = (record.state == nil && record.data.isEmpty) ? nil : record
    }
}
