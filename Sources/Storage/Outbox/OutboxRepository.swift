import BSON
import Foundation

public protocol OutboxRepository: Sendable {
    /// Adds a pending message; false when one with the same dedupe key exists already.
    @discardableResult
    func enqueue(_ message: OutboxMessage) async throws -> Bool
    /// Pending messages due by `now`, oldest first.
    func due(now: Date, limit: Int) async throws -> [OutboxMessage]
    func markSent(_ id: ObjectId, at: Date) async throws
    /// Schedules another attempt after a failure, or gives up (`final`).
    func markFailed(_ id: ObjectId, error: String, retryAt: Date?, final: Bool) async throws
    func pendingCount() async throws -> Int
    /// A chat's pending messages, due or not, oldest first: the sender groups them into one message.
    func pending(chatID: Int64, limit: Int) async throws -> [OutboxMessage]
}
