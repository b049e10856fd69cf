import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Storage
import TestSupport
import Testing

/// Buttons on every alert and ✋ (issue #17, points 1–3): acknowledging stops "still down" reminders,
/// the recovery names who took it and when, a forged press changes nothing, a late one is told it is over.
struct AcknowledgeChatTests {
    let ivan = FakeUser(id: 1701, firstName: "Иван", languageCode: "ru")
    let stranger = FakeUser(id: 1702, firstName: "Чужой", languageCode: "ru")

    @Test func acknowledgingStopsRemindersAndTheRecoveryAfterARestartNamesWhoTookItAndWhen() async throws {
        try await AlertChat.run(zone: "Europe/Moscow") { chat in
            let bot = chat.bot
            try await bot.signIn(ivan)
            try await bot.say(ivan, "/settings")
            try await bot.press(ivan, "⏰ каждые 1 ч")
            #expect(try await bot.repositories.users.get(ivan.id)?.settings.reminderHours == 1)
            let api = try await chat.site(ivan, "api")
            try await chat.waitUntil(api, is: .up)

            chat.sites.off()
            try await waitFor("the down alert") { !chat.messages(ivan, containing: "api недоступен").isEmpty }
            let alert = try #require(chat.messages(ivan, containing: "api недоступен").first)
            #expect(alert.inlineKeyboard.map { $0.map(\.text) } == [["🔎 api"], ["✋ Беру", "🛠 1 ч", "⏸ Пауза"]])
            #expect(alert.buttons.allSatisfy { ($0.callbackData?.utf8.count ?? 99) <= 64 })
            let ackData = try #require(alert.button(labelled: "✋ Беру")?.callbackData)

            // No reminder within the hour; one once the outage is an hour old.
            try await chat.waitForChecks(of: api)
            #expect(chat.messages(ivan, containing: "Всё ещё не работает").isEmpty)
            chat.clock.step(by: 3700)
            try await waitFor("a reminder") { !chat.messages(ivan, containing: "Всё ещё не работает").isEmpty }
            let reminder = try #require(chat.messages(ivan, containing: "Всё ещё не работает").first)
            #expect(reminder.text.contains("api — 1 ч"), "\(reminder.text)")

            // Someone else's press of the same button is refused and changes nothing.
            try await bot.signIn(stranger, phone: "+7 999 000-11-23")
            try await bot.pressData(stranger, ackData, on: alert.messageID)
            #expect(
                bot.fake.calls(method: "answerCallbackQuery").last?.params["text"]?.stringValue?.contains("не найден")
                    == true)
            #expect(try await bot.repositories.monitors.get(api.id)?.ack == nil)

            try await bot.pressData(ivan, ackData, on: alert.messageID)
            #expect(bot.lastText(ivan).contains("Вы взяли в работу сбой api"))
            let stored = try #require(try await bot.repositories.monitors.get(api.id)?.currentAck)
            #expect(stored.by == ivan.id && stored.byName == "Иван")
            // In mongosh: ack {counter, by, by_name, at} on the monitor.
            let document = try #require(
                try await bot.database.collection("monitors").find(["_id": .objectId(api.id)]).first)
            #expect(document[path: "ack.by_name"]?.stringValue == "Иван")

            // Hours later: no more reminders of this outage, across a restart of the monitor.
            await chat.restartMonitor()
            chat.clock.step(by: 3 * 3600)
            try await chat.waitForChecks(of: api)
            #expect(chat.messages(ivan, containing: "Всё ещё не работает").count == 1)

            chat.sites.on()
            try await waitFor("the recovery") { !chat.messages(ivan, containing: "api снова работает").isEmpty }
            let recovery = try #require(chat.messages(ivan, containing: "api снова работает").first)
            #expect(recovery.text.contains("✋ Взял(а) в работу: Иван"), "\(recovery.text)")
            #expect(recovery.text.contains("MSK"), "times in the owner's zone: \(recovery.text)")

            // ✋ pressed after the recovery: told it is over.
            try await bot.pressData(ivan, ackData, on: alert.messageID)
            #expect(
                bot.fake.calls(method: "answerCallbackQuery").last?.params["text"]?.stringValue?.contains(
                    "уже закончился") == true)
        }
    }

    @Test func forgedAlertButtonsForSomeoneElsesMonitorDoNothing() async throws {
        try await AlertChat.run { chat in
            let bot = chat.bot
            try await bot.signIn(ivan)
            try await bot.signIn(stranger, phone: "+7 999 000-11-23")
            let api = try await chat.site(ivan, "api")
            let message = try #require(bot.fake.messages(in: stranger.chatID).last)
            for data in [
                "ao:\(api.id.hex)", "ak:\(api.id.hex):1", "am:\(api.id.hex)", "ap:\(api.id.hex)",
                "wm:\(api.id.hex)", "ws:\(api.id.hex):60", "dm:\(api.id.hex)", "ds:\(api.id.hex):-", "ak:zz:1", "ak:",
            ] {
                try await bot.pressData(stranger, data, on: message.messageID)
                #expect(
                    bot.fake.calls(method: "answerCallbackQuery").last?.params["text"]?.stringValue?.contains(
                        "не найден") == true, "\(data)")
            }
            let stored = try #require(try await bot.repositories.monitors.get(api.id))
            #expect(stored.enabled && stored.maintenance.isEmpty && stored.ack == nil && stored.dependsOn == nil)
        }
    }
}
