import FakeTelegramAPI
import Foundation
import Storage
import TelegramAPI
import Testing

@testable import Monitor

/// An alert Telegram refuses for its length or HTML goes out as plain text in parts, never dropped
/// (issue #12, point 5).
struct AlertFormTests {
    @Test func anAlertRefusedForItsHTMLArrivesAsPlainText() async throws {
        try await withHarness { harness in
            try await harness.repositories.users.upsert(user(31))
            try await harness.repositories.outbox.enqueue(
                OutboxMessage(chatID: 31, text: "🔴 <b>router</b> down: a<b", dedupeKey: "alert:m31:down:1"))
            let sender = harness.startSender()
            let delivered = try await harness.fake.waitForMessages(chat: 31, count: 1, timeout: .seconds(15))
            #expect(delivered.first?.text == "🔴 router down: a<b")
            try await eventually("marked sent") { try await harness.repositories.outbox.pendingCount() == 0 }
            await sender.stop()
        }
    }

    @Test func anAlertLongerThan4096UnitsAfterEntitiesArrivesInParts() async throws {
        try await withHarness { harness in
            try await harness.repositories.users.upsert(user(32))
            // 3,000 "&lt;" are 3,000 units once parsed; 1,500 emoji are 3,000 more: 6,000 in all.
            let text =
                "🔴 <b>long</b>\n" + String(repeating: "&lt;", count: 3000) + "\n"
                + String(repeating: "😀", count: 1500)
            try await harness.repositories.outbox.enqueue(
                OutboxMessage(chatID: 32, text: text, dedupeKey: "alert:m32:down:1"))
            let sender = harness.startSender()
            let parts = try await harness.fake.waitForMessages(chat: 32, count: 2, timeout: .seconds(15))
            #expect(parts.allSatisfy { $0.text.utf16.count <= 4096 })
            #expect(parts.map(\.text).joined().filter { $0 == "<" }.count == 3000)
            try await eventually("marked sent") { try await harness.repositories.outbox.pendingCount() == 0 }
            await sender.stop()
        }
    }

    @Test func groupedAlertsAreMeasuredInUTF16AfterEntities() {
        // 1,000 "&amp;" are 5,000 characters of HTML but 1,000 units: two fit in one message.
        let alerts = (0..<2).map {
            OutboxMessage(chatID: 1, text: String(repeating: "&amp;", count: 1000), dedupeKey: "alert:m\($0):down:1")
        }
        let parts = OutboxGrouping.messages(alerts, header: { "\($0) changes" }, maxLength: 3800)
        #expect(parts.count == 1)
        // 2,000 emoji are 2,000 graphemes but 4,000 units: two need two messages.
        let emoji = (0..<2).map {
            OutboxMessage(chatID: 1, text: String(repeating: "😀", count: 2000), dedupeKey: "alert:e\($0):down:1")
        }
        #expect(OutboxGrouping.messages(emoji, header: { "\($0) changes" }, maxLength: 3800).count == 2)
    }
}
