import BSON
import Foundation

public actor MemoryOutboxRepository: OutboxRepository {
    private var messages: [ObjectId: OutboxMessage] = [:]
    private var keys: Set<String> = []

    public init() {}

    public func enqueue(_ message: OutboxMessage) -> Bool {
        guard !keys.contains(message.dedupeKey) else { return false }
        keys.insert(message.dedupeKey)
        messages[message.id] = message
        return true
    }

    /// Fair across chats, as the MongoDB outbox: oldest chats first, `OutboxFairness.perChat` each.
    public func due(now: Date, limit: Int) -> [OutboxMessage] {
        let ordered = messages.values.filter { $0.state == .pending && $0.notBefore <= now }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        var taken: [Int64: Int] = [:]
        var result: [OutboxMessage] = []
        var chats: Set<Int64> = []
        for message in ordered where result.count < limit {
            if !chats.contains(message.chatID) {
                guard chats.count < limit else { continue }
                chats.insert(message.chatID)
            }
            guard taken[message.chatID, default: 0] < OutboxFairness.perChat else { continue }
            taken[message.chatID, default: 0] += 1
            result.append(message)
        }
        return result
    }

    /// Sent messages are not kept in memory; their dedupe key stays, so they are never enqueued again.
    public func markSent(_ id: ObjectId, at: Date) {
        messages[id] = nil
    }

    public func markFailed(_ id: ObjectId, error: String, retryAt: Date?, final: Bool) {
        guard var message = messages[id] else { return }
        message.attempts += 1
        message.lastError = error
        if final { message.state = .failed } else if let retryAt { message.notBefore = retryAt }
        messages[id] = message
    }

    public func pendingCount() -> Int { messages.values.filter { $0.state == .pending }.count }

    public func pending(chatID: Int64, limit: Int) -> [OutboxMessage] {
        Array(
            messages.values.filter { $0.state == .pending && $0.chatID == chatID }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.prefix(limit))
    }

    public func hold(_ id: ObjectId, reason: OutboxMessage.HoldReason, since: Date, until: Date) {
        guard var message = messages[id], message.state == .pending else { return }
        message.heldSince = message.heldSince ?? since
        message.heldReason = reason
        message.notBefore = until
        messages[id] = message
    }

    public func releaseHeld(chatID: Int64, now: Date) {
        for (id, message) in messages
        where message.chatID == chatID && message.state == .pending && message.heldSince != nil {
            messages[id]?.notBefore = min(message.notBefore, now)
        }
    }
}
