import BSON
import Foundation

public protocol CheckHistoryRepository: Sendable {
    func append(_ checks: [CheckRecord]) async throws
    /// Newest first.
    func recent(monitorID: ObjectId, limit: Int) async throws -> [CheckRecord]
    /// Uptime since each of `windows` (e.g. 24 h, 7 d, 30 d ago), in one pass over the history.
    func uptime(monitorID: ObjectId, since windows: [Date]) async throws -> [UptimeSummary]
    func deleteAll(monitorID: ObjectId) async throws
}

extension CheckHistoryRepository {
    public func uptime(monitorID: ObjectId, since: Date) async throws -> UptimeSummary {
        try await uptime(monitorID: monitorID, since: [since]).first ?? UptimeSummary(total: 0, ok: 0)
    }
}
