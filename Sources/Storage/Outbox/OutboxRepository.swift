import BSON
import Foundation

public protocol OutboxRepository: Sendable {
    /// Adds a pending message; false when one with the same dedupe key exists already.
    @discardableResult
    func enqueue(_ message: OutboxMessage) async throws -> Bool
    /// Pending messages due by `now`, fair across chats: chats with the oldest due message first, at
    /// most `OutboxFairness.perChat` of each, oldest first within a chat.
    func due(now: Date, limit: Int) async throws -> [OutboxMessage]
    func markSent(_ id: ObjectId, at: Date) async throws
    /// Claims pending messages for `claim`'s holder (those unclaimed, claimed under an older epoch,
    /// or its own already); returns the ids it holds now. The cluster's outbox sender sends only these.
    func claim(_ ids: [ObjectId], by claim: OutboxClaim, now: Date) async throws -> Set<ObjectId>
    /// Marks a message sent while `claim` still holds it; false when a newer claim took it.
    func markSent(_ id: ObjectId, at: Date, claim: OutboxClaim) async throws -> Bool
    /// Schedules another attempt after a failure, or gives up (`final`).
    func markFailed(_ id: ObjectId, error: String, retryAt: Date?, final: Bool) async throws
    func pendingCount() async throws -> Int
    /// A chat's pending messages, due or not, oldest first: the sender groups them into one message.
    func pending(chatID: Int64, limit: Int) async throws -> [OutboxMessage]
    /// Keeps a pending message back for its owner until `until` (not a failed attempt): records since
    /// when (the first hold's time is kept) and why.
    func hold(_ id: ObjectId, reason: OutboxMessage.HoldReason, since: Date, until: Date) async throws
    /// Makes a chat's held messages due at `now`: the owner is back.
    func releaseHeld(chatID: Int64, now: Date) async throws
}
