import Synchronization
import TelegramAPI

/// The in-memory inbox: a crash loses memory storage whole, so it only keeps the updates in hand
/// and forgets each one once handled (so `unhandled().highestID` is the highest one in hand).
public final class MemoryUpdateInboxRepository: UpdateInboxRepository {
    /// Unhandled entries by id, and ids marked handled before their `record` came.
    private let state = Mutex((entries: [Int64: InboxEntry](), handledEarly: Set<Int64>()))

    public init() {}

    public func record(_ updates: [Update]) -> Set<Int64> {
        state.withLock { state in
            var known = Set<Int64>()
            for entry in updates.map(InboxEntry.init) {
                if state.entries[entry.id] != nil || state.handledEarly.remove(entry.id) != nil {
                    known.insert(entry.id)
                } else {
                    state.entries[entry.id] = entry
                }
            }
            return known
        }
    }

    public func markHandled(_ id: Int64) {
        state.withLock { state in
            if state.entries.removeValue(forKey: id) == nil { state.handledEarly.insert(id) }
        }
    }

    public func unhandled() -> (entries: [InboxEntry], highestID: Int64?) {
        state.withLock { state in
            let entries = state.entries.values.sorted { $0.id < $1.id }
            return (entries, entries.last?.id)
        }
    }
}
