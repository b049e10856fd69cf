import Foundation

/// Admin actions in memory (the embedded storage; nothing persists).
public actor MemoryAuditRepository: AuditRepository {
    private var entries: [AuditEntry] = []
    private let capacity: Int

    public init(capacity: Int = 10_000) { self.capacity = capacity }

    public func record(_ entry: AuditEntry) {
        entries.append(entry)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    public func recent(limit: Int) -> [AuditEntry] { Array(entries.reversed().prefix(max(0, limit))) }
}
