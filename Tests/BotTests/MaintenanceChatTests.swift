import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Storage
import TestSupport
import Testing

/// Maintenance windows (issue #17, point 4): nothing is told inside; what is still down when the
/// window ends alerts then, once; what came back meanwhile says nothing; weekly windows are read on the
/// owner's clock, across midnight too; bad windows are refused.
struct MaintenanceChatTests {
    let anna = FakeUser(id: 1801, firstName: "Анна", languageCode: "ru")

    @Test func aWindowHoldsAlertsAcrossARestartAndTheMonitorStillDownAtItsEndAlertsOnce() async throws {
        try await AlertChat.run { chat in
            let bot = chat.bot
            let second = try await SwitchedSites.start()
            defer { Task { await second.stop() } }
            try await bot.signIn(anna)
            let api = try await chat.site(anna, "api")
            let db = try await chat.site(anna, "db", on: second)
            try await chat.waitUntil(api, is: .up)
            try await chat.waitUntil(db, is: .up)

            try await bot.say(anna, "/monitoring")
            try await bot.press(anna, "🛠 Обслуживание всех")
            try await bot.press(anna, "🛠 на 1 ч")
            let windows = try #require(try await bot.repositories.users.get(anna.id)?.settings.maintenance)
            #expect(windows.count == 1 && windows[0].kind == .once)
            try await bot.say(anna, "/monitoring")
            #expect(
                bot.lastText(anna).contains("🛠 api") && bot.lastText(anna).contains("🛠 db"), "\(bot.lastText(anna))")

            chat.sites.off()
            second.off()
            try await chat.waitUntil(api, is: .down)
            try await chat.waitUntil(db, is: .down)
            // Kept back, in MongoDB: held_alert {reason: "maintenance", transition: "down", counter, since}.
            let held = try #require(
                try await bot.database.collection("monitors").find(["_id": .objectId(api.id)]).first)
            #expect(held[path: "held_alert.reason"]?.stringValue == "maintenance")
            await chat.restartMonitor()
            second.on()
            try await chat.waitUntil(db, is: .up)
            try await chat.waitForChecks(of: api)
            #expect(chat.messages(anna, containing: "недоступен").isEmpty, "no alert inside the window")
            #expect(chat.messages(anna, containing: "снова работает").isEmpty)

            chat.clock.step(by: 3700)
            try await waitFor("the alert at the window's end") {
                !chat.messages(anna, containing: "api недоступен").isEmpty
            }
            try await chat.waitForChecks(of: api, seconds: 3)
            let alerts = chat.messages(anna, containing: "api недоступен")
            #expect(alerts.count == 1, "once")
            #expect(alerts.first?.text.contains("Обслуживание закончилось") == true)
            #expect(
                chat.messages(anna, containing: "db недоступен").isEmpty
                    && chat.messages(anna, containing: "db снова работает").isEmpty,
                "db came back inside the window: nothing to tell")
            #expect(try await bot.repositories.monitors.get(api.id)?.heldAlert == nil)
            // Checks inside the window are marked and left out of uptime.
            let marked = try await bot.database.collection("checks").count([
                "monitor_id": .objectId(api.id), "maintenance": true,
            ])
            #expect(marked > 0)
        }
    }

    @Test func aWeeklyWindowAcrossMidnightIsReadOnTheOwnersClockAndHoldsAlertsInsideIt() async throws {
        try await AlertChat.run(zone: "Europe/Moscow") { chat in
            let bot = chat.bot
            try await bot.signIn(anna)
            let api = try await chat.site(anna, "api")
            try await chat.waitUntil(api, is: .up)
            try await bot.say(anna, "/monitoring")
            try await bot.press(anna, "🟢 api")
            try await bot.press(anna, "🛠 Обслуживание")
            try await bot.press(anna, "📅 Каждую неделю…")
            try await bot.say(anna, "сб 23:00–01:00")
            let stored = try #require(try await bot.repositories.monitors.get(api.id)?.maintenance.first)
            #expect(stored.kind == .weekly && stored.day == 6 && stored.startMinute == 1380 && stored.endMinute == 60)
            #expect(stored.zone == "Europe/Moscow")
            try await bot.say(anna, "/monitoring")
            try await bot.press(anna, "api")
            try await bot.press(anna, "🛠 Обслуживание")
            #expect(bot.lastText(anna).contains("каждую неделю: сб 23:00–01:00 MSK"), "\(bot.lastText(anna))")

            // To Saturday 23:30 Moscow time, then off: held. Sunday 01:10: the alert comes.
            let saturdayNight = try nextSaturday2330Moscow(after: chat.clock.now())
            chat.clock.step(by: saturdayNight.timeIntervalSince(chat.clock.now()))
            chat.sites.off()
            try await chat.waitUntil(api, is: .down)
            try await chat.waitForChecks(of: api)
            #expect(chat.messages(anna, containing: "api недоступен").isEmpty)
            chat.clock.step(by: 100 * 60)  // 01:10 on Sunday
            try await waitFor("the alert after the window") {
                !chat.messages(anna, containing: "api недоступен").isEmpty
            }
            #expect(chat.messages(anna, containing: "api недоступен").first?.text.contains("MSK") == true)
        }
    }

    @Test func windowsOfZeroLengthLongerThanAWeekOrInThePastAreRefused() async throws {
        try await AlertChat.run { chat in
            let bot = chat.bot
            try await bot.signIn(anna)
            _ = try await chat.site(anna, "api")
            try await bot.say(anna, "/monitoring")
            try await bot.press(anna, "api")
            try await bot.press(anna, "🛠 Обслуживание")
            try await bot.press(anna, "📅 Каждую неделю…")
            try await bot.say(anna, "вс 02:00-02:00")
            #expect(bot.lastText(anna).contains("нулевой длины"))
            try await bot.say(anna, "в воскресенье ночью")
            #expect(bot.lastText(anna).contains("Не понял"))
            try await bot.say(anna, "/cancel")
            try await bot.press(anna, "⏰ До времени…")
            try await bot.say(anna, "2099-01-01 10:00")
            #expect(bot.lastText(anna).contains("Дольше недели нельзя"))
            try await bot.say(anna, "2020-01-01 10:00")
            #expect(bot.lastText(anna).contains("уже прошло"))
            #expect(try await bot.repositories.monitors.list(ownerID: anna.id).first?.maintenance.isEmpty == true)
        }
    }

    func nextSaturday2330Moscow(after date: Date) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Europe/Moscow"))
        var day = date
        for _ in 0..<8 {
            var parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if parts.weekday == 7 {
                parts.hour = 23
                parts.minute = 30
                parts.weekday = nil
                if let candidate = calendar.date(from: parts), candidate > date { return candidate }
            }
            day = day.addingTimeInterval(86_400)
        }
        throw HarnessError("no Saturday in a week")
    }
}
