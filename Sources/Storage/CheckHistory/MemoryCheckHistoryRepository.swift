import BSON
import Foundation

/// Check history in memory, bounded per monitor and in total so a long-running embedded bot does not
/// grow without limit: with many monitors each keeps a smaller recent window (uptime figures then cover
/// less than 30 days — the embedded mode is for trying the bot out; MongoDB keeps the full history).
public actor MemoryCheckHistoryRepository: CheckHistoryRepository {
    private var history: [ObjectId: [CheckRecord]] = [:]
    private let maxPerMonitor: Int
    private let maxTotal: Int

    public init(maxPerMonitor: Int = 2_000, maxTotal: Int = 200_000) {
        self.maxPerMonitor = maxPerMonitor
        self.maxTotal = maxTotal
    }

    public func append(_ checks: [CheckRecord]) {
        let limit = max(20, min(maxPerMonitor, maxTotal / max(1, history.count)))
        for check in checks {
            history[check.monitorID, default: []].append(check)
            if let count = history[check.monitorID]?.count, count > limit {
                history[check.monitorID]?.removeFirst(count - limit)
            }
        }
    }

    public func recent(monitorID: ObjectId, limit: Int) -> [CheckRecord] {
        Array((history[monitorID] ?? []).sorted { $0.at > $1.at }.prefix(limit))
    }

    public func uptime(monitorID: ObjectId, since windows: [Date]) -> [UptimeSummary] {
        var summaries = windows.map { _ in UptimeSummary(total: 0, ok: 0) }
        // Planned maintenance is left out of uptime.
        for check in history[monitorID] ?? [] where check.maintenance != true {
            for (index, start) in windows.enumerated() where check.at >= start {
                summaries[index].total += 1
                if check.ok { summaries[index].ok += 1 }
                if check.ok, check.slow == true { summaries[index].slow += 1 }
            }
        }
        return summaries
    }

    public func deleteAll(monitorID: ObjectId) { history[monitorID] = nil }
}
