import BSON
import Foundation

/// Check history in memory, bounded per monitor so a long-running embedded bot does not grow without limit.
public actor MemoryCheckHistoryRepository: CheckHistoryRepository {
    private var history: [ObjectId: [CheckRecord]] = [:]
    private let maxPerMonitor: Int

    public init(maxPerMonitor: Int = 2_000) { self.maxPerMonitor = maxPerMonitor }

    public func append(_ checks: [CheckRecord]) {
        for check in checks {
            history[check.monitorID, default: []].append(check)
            if let count = history[check.monitorID]?.count, count > maxPerMonitor {
                history[check.monitorID]?.removeFirst(count - maxPerMonitor)
            }
        }
    }

    public func recent(monitorID: ObjectId, limit: Int) -> [CheckRecord] {
        Array((history[monitorID] ?? []).sorted { $0.at > $1.at }.prefix(limit))
    }

    public func uptime(monitorID: ObjectId, since: Date) -> UptimeSummary {
        let window = (history[monitorID] ?? []).filter { $0.at >= since }
        return UptimeSummary(total: window.count, ok: window.filter(\.ok).count)
    }

    public func deleteAll(monitorID: ObjectId) { history[monitorID] = nil }
}
