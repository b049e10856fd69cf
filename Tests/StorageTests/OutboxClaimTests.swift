import BSON
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

/// Outbox claims in a real mongod: one sender per message, a newer epoch takes over, a deposed
/// holder's sent mark is refused.
struct OutboxClaimTests {
    @Test func aMessageClaimedUnderOneEpochIsRefusedToAnotherHolderOfThatEpoch() async throws {
        try await TestMongo.withDatabase { db in
            let outbox = MongoOutboxRepository(database: db, logger: TestMongo.logger)
            let message = OutboxMessage(chatID: 1, text: "a", dedupeKey: "k1")
            try await outbox.enqueue(message)
            let a = OutboxClaim(holder: "a", epoch: 1)
            #expect(try await outbox.claim([message.id], by: a, now: Date()) == [message.id])
            #expect(try await outbox.claim([message.id], by: OutboxClaim(holder: "b", epoch: 1), now: Date()).isEmpty)
            #expect(try await outbox.claim([message.id], by: a, now: Date()) == [message.id], "its own claim again")
        }
    }

    @Test func aNewerEpochTakesTheClaimAndTheDeposedHoldersMarkIsRefused() async throws {
        try await TestMongo.withDatabase { db in
            let outbox = MongoOutboxRepository(database: db, logger: TestMongo.logger)
            let message = OutboxMessage(chatID: 1, text: "a", dedupeKey: "k2")
            try await outbox.enqueue(message)
            let old = OutboxClaim(holder: "a", epoch: 1)
            let new = OutboxClaim(holder: "b", epoch: 2)
            _ = try await outbox.claim([message.id], by: old, now: Date())
            #expect(try await outbox.claim([message.id], by: new, now: Date()) == [message.id])
            #expect(try await outbox.markSent(message.id, at: Date(), claim: old) == false)
            #expect(try await outbox.pendingCount() == 1)
            #expect(try await outbox.markSent(message.id, at: Date(), claim: new))
            #expect(try await outbox.pendingCount() == 0)
            #expect(try await outbox.claim([message.id], by: OutboxClaim(holder: "c", epoch: 3), now: Date()).isEmpty)
        }
    }
}
