import BSON
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

/// Privacy: a handled update leaves only what dedupe and recovery need (issue #12, point 12).
struct HandledUpdateBodyTests {
    let user = FakeUser(id: 8002, firstName: "Inbox", languageCode: "ru")

    @Test func aHandledUpdateKeepsOnlyItsIdNotSomeoneElsesPhoneFromARefusedContact() async throws {
        try await BotHarness.run { bot in
            try await bot.say(user, "/start")
            let share = bot.fake.shareContact(from: user, phone: "79995554433", userID: 42)
            try await bot.handled(share)
            #expect(bot.lastText(user).contains("не ваш контакт"))
            let document = try await bot.database.collection("inbox").findOne(["_id": .int64(share.updateID)])
            #expect(document?["handled"]?.boolValue == true)
            #expect(document?["update"] == nil, "the body is dropped once handled")
            let all = try await bot.database.collection("inbox").find([:])
            #expect(!all.contains { "\($0)".contains("79995554433") }, "the phone is nowhere in the inbox")
        }
    }
}
