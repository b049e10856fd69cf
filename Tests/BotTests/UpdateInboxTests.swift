import Bot
import FakeTelegramAPI
import Storage
import TelegramAPI
import TestSupport
import Testing

/// What a start does with the inbox a crashed process left behind.
struct UpdateInboxTests {
    let user = FakeUser(id: 8001, firstName: "Inbox", languageCode: "en")

    @Test func anUpdateTheLastProcessHandledIsNotHandledAgainWhenTelegramDeliversItAgain() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            await bot.stop()
            // The crashed process had handled `again`, but died before Telegram heard it was taken.
            let again = bot.fake.sendCommand(from: user, "help").updateID
            let new = bot.fake.sendCommand(from: user, "settings").updateID
            _ = try await bot.repositories.inbox.record([Update(updateID: again)])
            try await bot.repositories.inbox.markHandled(again)
            let before = bot.fake.messages(in: user.chatID).filter(\.fromBot).count

            bot.start()
            try await bot.handled(updateID: new)
            let replies = bot.fake.messages(in: user.chatID).filter(\.fromBot).dropFirst(before).map(\.text)
            #expect(replies.count == 1, "\(replies)")
            #expect(replies.first?.contains("Settings") == true, "\(replies)")
            #expect(try await bot.repositories.inbox.unhandled().entries.isEmpty)
        }
    }
}
