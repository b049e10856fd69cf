import BSON
import Bot
import FakeTelegramAPI
import Storage
import TestSupport
import Testing

/// Every message fits Telegram's 4096 UTF-16 units after entities (issue #12, point 5).
struct LongMonitorListTests {
    let anna = FakeUser(id: 1301, firstName: "Анна", languageCode: "ru")

    @Test func eightLongURLsAddedWithSkipStillOpenPauseAndDelete() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(anna)
            for index in 0..<8 {
                // "Skip" names a monitor after its target: 1,900 characters, with entities to escape.
                let url = "https://example.org/\(index)?" + String(repeating: "a&b<c>ы", count: 270)
                try await bot.repositories.monitors.create(
                    MonitorRecord(ownerID: anna.id, kind: .http, target: url, name: url))
            }
            let replies = try await bot.say(anna, "/monitoring")
            let list = try #require(replies.last)
            #expect(list.text.contains("example.org/0"), "the list opened: \(list.text.prefix(200))")
            #expect(list.text.utf16.count <= 4096)
            try await bot.press(anna, "https://example.org/0?")  // the list's button, its label cut short
            #expect(bot.lastText(anna).contains("example.org/0"), "the monitor opened")
            try await bot.press(anna, "⏸ Пауза")
            #expect(try await bot.repositories.monitors.list(ownerID: anna.id).first?.enabled == false)
            try await bot.press(anna, "🗑 Удалить")
            try await bot.press(anna, "🗑 Да, удалить")
            #expect(try await bot.repositories.monitors.count(ownerID: anna.id) == 7)
        }
    }
}
