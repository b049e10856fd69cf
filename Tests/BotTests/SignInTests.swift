import BSON
import Bot
import FakeTelegramAPI
import Storage
import TestSupport
import Testing

struct SignInTests {
    let ivan = FakeUser(id: 1001, firstName: "Иван", languageCode: "ru")

    @Test func startGreetsInRussianAndAsksForThePhoneWithAContactButton() async throws {
        try await BotHarness.run { bot in
            let replies = try await bot.say(ivan, "/start")
            #expect(replies.first?.text.contains("Привет, Иван") == true)
            let keyboard = bot.fake.replyKeyboard(in: ivan.chatID)
            #expect(keyboard?["keyboard"]?[0]?[0]?["request_contact"] == .bool(true))
        }
    }

    @Test func sharingOwnContactSignsInAndStoresTheUser() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(ivan, phone: "+7 (999) 123-45-67")
            #expect(bot.lastText(ivan).contains("вы вошли"))
            let user = try await bot.repositories.users.get(ivan.id)
            #expect(user?.phone == "79991234567")
            #expect(user?.language == "ru")
            let doc = try await bot.database.collection("users").findOne(["_id": .int64(ivan.id)])
            #expect(doc?["created_at"]?.dateValue != nil)
        }
    }

    @Test func someoneElsesContactIsRefused() async throws {
        try await BotHarness.run { bot in
            try await bot.say(ivan, "/start")
            try await bot.handled(bot.fake.shareContact(from: ivan, phone: "79990000000", userID: 42))
            #expect(bot.lastText(ivan).contains("не ваш контакт"))
            #expect(try await bot.repositories.users.get(ivan.id) == nil)
        }
    }

    // SIGNUP=closed: under the default (approval) an unlisted first user would become the admin instead.
    @Test func phonesOutsideAllowedPhonesCannotSignIn() async throws {
        try await BotHarness.run(settings: BotSettings(signup: .closed, allowedPhones: ["79990000001"])) { bot in
            try await bot.signIn(ivan, phone: "79990000002")
            #expect(bot.lastText(ivan).contains("не допущен"))
            #expect(try await bot.repositories.users.get(ivan.id) == nil)
            let anna = FakeUser(id: 1002, firstName: "Anna", languageCode: "en")
            try await bot.signIn(anna, phone: "+7 999 000 00 01")
            #expect(bot.lastText(anna).contains("signed in"))
        }
    }

    @Test func usersWhoHaveNotSignedInAreSentToStart() async throws {
        try await BotHarness.run { bot in
            let replies = try await bot.say(ivan, "/monitoring")
            #expect(replies.last?.text.contains("/start") == true)
            // The help button works before signing in, with the spaces a client may add around it.
            #expect(try await bot.say(ivan, "  ❓ Помощь ").first?.text.contains("Частые вопросы") == true)
        }
    }

    @Test func englishTelegramUsersAreGreetedInEnglish() async throws {
        try await BotHarness.run { bot in
            let anna = FakeUser(id: 1003, firstName: "Anna", languageCode: "en")
            let replies = try await bot.say(anna, "/start")
            #expect(replies.first?.text.hasPrefix("Hi, Anna") == true)
        }
    }

    @Test func helpAnswersAndUnknownTextGetsAHint() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(ivan)
            #expect(try await bot.say(ivan, "/help").first?.text.contains("Частые вопросы") == true)
            #expect(try await bot.say(ivan, "привет").first?.text.contains("/monitoring") == true)
        }
    }

    @Test func commandMenuIsPublishedInRussianAndEnglish() async throws {
        try await BotHarness.run { bot in
            try await bot.fake.waitForCall(method: "setMyCommands") { $0.params["language_code"]?.stringValue == "en" }
            #expect(bot.fake.commands(languageCode: "ru").contains { $0.command == "monitoring" })
            #expect(bot.fake.commands(languageCode: "en").first { $0.command == "help" }?.description == "Help")
        }
    }
}
