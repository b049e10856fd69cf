import FakeTelegramAPI
import Foundation
import Storage
import TelegramAPI
import TestSupport
import Testing

@testable import Monitor

/// Per-chat delivery lanes: a chat Telegram throttles waits alone (issue #12, points 2 and 14).
struct OutboxLaneTests {
    @Test func aChatThrottledByTelegramWaitsAloneWhileOtherOwnersGetTheirAlerts() async throws {
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(21))
            try await repos.users.upsert(user(22))
            harness.fake.failNext(method: "sendMessage", count: 1, with: .tooManyRequests(retryAfter: 60))
            try await repos.outbox.enqueue(OutboxMessage(chatID: 21, text: "throttled", dedupeKey: "alert:a:down:1"))
            // Production's sender: retries of its own for replies, none for the outbox's bulk sends.
            let api = harness.api(retry: .default).bulkSender()
            let sender = RunningService(
                OutboxSender(repositories: repos, api: api, configuration: fastOutbox, logger: testLogger))
            try await eventually("the first chat was throttled") {
                harness.fake.calls(method: "sendMessage").contains { $0.status == 429 }
            }
            try await repos.outbox.enqueue(OutboxMessage(chatID: 22, text: "on time", dedupeKey: "alert:b:down:1"))
            // Far inside the 60 s retry_after: the other owner does not wait for the throttled chat.
            let delivered = try await harness.fake.waitForMessages(chat: 22, count: 1, timeout: .seconds(15))
            #expect(delivered.map(\.text) == ["on time"])
            let waiting = try await repos.outbox.pending(chatID: 21, limit: 10)
            #expect(waiting.count == 1)
            #expect(
                (waiting.first?.notBefore ?? .distantPast) > Date().addingTimeInterval(40),
                "rescheduled by the outbox after retry_after, not retried inside the call")
            #expect(harness.fake.calls(method: "sendMessage").filter { $0.status == 429 }.count == 1)
            await sender.stop()
        }
    }
}
