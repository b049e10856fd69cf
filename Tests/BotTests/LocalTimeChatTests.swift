import BSON
import Bot
import FakeTelegramAPI
import Foundation
import HumanFormatting
import Storage
import TestSupport
import Testing

/// Local time and chat polish (issue #17, points 6–7): a Moscow user reads every time in MSK; a zone
/// that does not exist is refused with suggestions; /status sums things up.
struct LocalTimeChatTests {
    let masha = FakeUser(id: 2001, firstName: "Маша", languageCode: "ru")

    @Test func aMoscowUserReadsAlertsSettingsAndStatusInMSK() async throws {
        try await AlertChat.run { chat in
            let bot = chat.bot
            try await bot.signIn(masha)
            try await bot.say(masha, "/settings")
            #expect(bot.lastText(masha).contains("Часовой пояс: UTC"))
            try await bot.press(masha, "🕒 Сменить часовой пояс")
            try await bot.say(masha, "Moskva")
            #expect(bot.lastText(masha).contains("Такого часового пояса нет"))
            try await bot.press(masha, "Europe/Moscow")
            #expect(try await bot.repositories.users.get(masha.id)?.settings.timeZone == "Europe/Moscow")
            #expect(bot.lastText(masha).contains("Часовой пояс: Europe/Moscow (MSK)"), "\(bot.lastText(masha))")

            let api = try await chat.site(masha, "api")
            try await chat.waitUntil(api, is: .up)
            chat.sites.off()
            try await waitFor("the alert") { !chat.messages(masha, containing: "api недоступен").isEmpty }
            let alert = try #require(chat.messages(masha, containing: "api недоступен").first)
            let since = try #require(try await bot.repositories.monitors.get(api.id)?.statusSince)
            let msk = try #require(ChatTimeZone(named: "Europe/Moscow"))
            #expect(alert.text.contains("С \(HumanFormat.timestamp(since, in: msk))"), "\(alert.text)")
            #expect(alert.text.contains("MSK") && !alert.text.contains("UTC"))

            try await bot.say(masha, "/status")
            let status = bot.lastText(masha)
            #expect(status.contains("🔴 не отвечают: 1"), "\(status)")
            #expect(status.contains("🔴 api — с") && status.contains("MSK"), "\(status)")
            try await bot.press(masha, "🔎 api")
            let item = bot.lastText(masha)
            #expect(item.contains("Доступность: 24 ч") && item.contains("7 д") && item.contains("30 д"), "\(item)")
            #expect(item.contains("MSK"))
        }
    }

    @Test func settingsButtonsCarryWordsAndRemindersAreOffByDefault() async throws {
        try await AlertChat.run { chat in
            let bot = chat.bot
            try await bot.signIn(masha)
            let settings = try #require(try await bot.say(masha, "/settings").last)
            let labels = settings.buttons.map(\.text)
            #expect(labels.contains("⚠️ после 3 сбоев") || labels.contains("• ⚠️ после 3 сбоев •"), "\(labels)")
            #expect(labels.contains { $0.contains("⏱ раз в") })
            #expect(labels.contains("• ⏰ не напоминать •"))
            #expect(settings.text.contains("Напоминания выключены"))
        }
    }
}
