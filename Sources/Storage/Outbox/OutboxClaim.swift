import BSON
import Foundation

/// Who delivers an outbox message: the holder of the outbox lease and that lease's epoch. A message
/// claimed under an older epoch (its holder died or was cut off) is taken again by the new holder;
/// a deposed holder's mark of a message claimed again under a newer epoch is refused.
public struct OutboxClaim: Sendable, Equatable {
    public var holder: String
    public var epoch: Int64

    public init(holder: String, epoch: Int64) {
        self.holder = holder
        self.epoch = epoch
    }
}

extension OutboxRepository {
    /// One process alone: every message is its own.
    public func claim(_ ids: [ObjectId], by claim: OutboxClaim, now: Date) async throws -> Set<ObjectId> {
        Set(ids)
    }

    public func markSent(_ id: ObjectId, at: Date, claim: OutboxClaim) async throws -> Bool {
        try await markSent(id, at: at)
        return true
    }
}
