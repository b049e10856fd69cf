import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Storage
import TestSupport
import Testing

struct ManageMonitorTests {
    let owner = FakeUser(id: 3001, firstName: "Owner", languageCode: "en")
    let stranger = FakeUser(id: 3002, firstName: "Stranger", languageCode: "en")

    func addDevice(_ bot: BotHarness, _ user: FakeUser, target: String, name: String) async throws -> MonitorRecord {
        let monitor = MonitorRecord(ownerID: user.id, kind: .icmp, target: target, name: name)
        try await bot.repositories.monitors.create(monitor)
        return monitor
    }

    @Test func theListShowsStatusMarksAndOpensAnItemWithUptime() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(owner)
            let up = try await addDevice(bot, owner, target: "10.0.0.1", name: "core")
            _ = try await addDevice(bot, owner, target: "10.0.0.2", name: "edge")
            let now = Date()
            try await bot.repositories.monitors.recordChecks([
                up.id: MonitorCheckState(
                    status: .up, statusSince: now, failStreak: 0, successStreak: 2,
                    lastCheck: LastCheck(at: now, ok: true, rttMs: 0.4))
            ])
            try await bot.repositories.checks.append([
                CheckRecord(monitorID: up.id, ownerID: owner.id, at: now, ok: true, rttMs: 0.4),
                CheckRecord(monitorID: up.id, ownerID: owner.id, at: now, ok: false),
            ])
            let list = try await bot.say(owner, "/monitoring").last
            #expect(list?.text.contains("🟢 core — 10.0.0.1 · 400 µs") == true, "\(list?.text ?? "")")
            #expect(list?.text.contains("⚪ edge") == true)
            try await bot.press(owner, "🟢 core")
            let item = bot.lastText(owner)
            #expect(item.contains("Uptime: 24h 50.00%"), "\(item)")
            #expect(item.contains("Status: up"))
        }
    }

    @Test func renamePauseResumeAndDeleteWithConfirmation() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(owner)
            let monitor = try await addDevice(bot, owner, target: "10.0.0.3", name: "old")
            try await bot.say(owner, "/monitoring")
            try await bot.press(owner, "⚪ old")
            try await bot.press(owner, "✏️ Rename")
            #expect(try await bot.fsmState(owner) == "EditMonitor:name")
            try await bot.say(owner, "new name")
            #expect(try await bot.repositories.monitors.get(monitor.id)?.name == "new name")
            try await bot.press(owner, "⏸ Pause")
            #expect(try await bot.repositories.monitors.get(monitor.id)?.enabled == false)
            try await bot.press(owner, "▶️ Resume")
            #expect(try await bot.repositories.monitors.get(monitor.id)?.enabled == true)
            try await bot.press(owner, "🗑 Delete")
            #expect(try await bot.repositories.monitors.get(monitor.id) != nil)
            try await bot.press(owner, "🗑 Yes, delete")
            #expect(try await bot.repositories.monitors.get(monitor.id) == nil)
            // Each press was answered once, with the toast where there is one (a second answer is a 400).
            let answers = bot.fake.calls(method: "answerCallbackQuery")
            #expect(answers.allSatisfy { $0.status == 200 })
            #expect(answers.last?.params["text"]?.stringValue == "🗑 Deleted: new name")
        }
    }

    @Test func changingTheTargetValidatesAndResetsStatus() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(owner)
            let monitor = try await addDevice(bot, owner, target: "10.0.0.4", name: "box")
            try await bot.say(owner, "/monitoring")
            try await bot.press(owner, "⚪ box")
            try await bot.press(owner, "🎯 Change address")
            try await bot.say(owner, "300.0.0.1")
            #expect(try await bot.fsmState(owner) == "EditMonitor:target")
            try await bot.say(owner, "box.internal")
            #expect(try await bot.repositories.monitors.get(monitor.id)?.target == "box.internal")
            #expect(try await bot.fsmState(owner) == nil)
        }
    }

    @Test func buttonsForSomeoneElsesMonitorAreRefusedAndChangeNothing() async throws {
        // The stranger is listed, so they are signed in (under SIGNUP=approval they would be pending).
        try await BotHarness.run(settings: BotSettings(allowedPhones: ["79990001122"])) { bot in
            try await bot.signIn(owner)
            try await bot.signIn(stranger)
            let monitor = try await addDevice(bot, owner, target: "10.0.0.5", name: "mine")
            let anyMessage = try #require(bot.fake.lastMessage(in: stranger.chatID))
            for data in ["md:", "mD:", "mp:", "mr:", "mo:"].map({ $0 + monitor.id.hex }) {
                try await bot.pressData(stranger, data, on: anyMessage.messageID)
                let answer = bot.fake.calls(method: "answerCallbackQuery").last
                #expect(answer?.params["text"]?.stringValue?.contains("not found") == true)
            }
            let after = try await bot.repositories.monitors.get(monitor.id)
            #expect(after?.enabled == true)
            #expect(after?.name == "mine")
            #expect(try await bot.fsmState(stranger) == nil)
        }
    }

    @Test func buttonsForADeletedMonitorOrForgedDataAreRefused() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(owner)
            let monitor = try await addDevice(bot, owner, target: "10.0.0.6", name: "gone")
            #expect(try await bot.repositories.monitors.delete(monitor.id, ownerID: owner.id))
            let message = try #require(bot.fake.lastMessage(in: owner.chatID))
            for data in ["mo:" + monitor.id.hex, "mo:not-an-id", "zz:garbage"] {
                try await bot.pressData(owner, data, on: message.messageID)
            }
            let answers = bot.fake.calls(method: "answerCallbackQuery").suffix(3).compactMap {
                $0.params["text"]?.stringValue
            }
            #expect(
                answers == [
                    "This monitor was not found; it may have been deleted.",
                    "This monitor was not found; it may have been deleted.",
                    "This button is outdated.",
                ])
            #expect(try await bot.repositories.monitors.count(ownerID: owner.id) == 0)
        }
    }

    @Test func longListsArePaged() async throws {
        try await BotHarness.run(settings: BotSettings(pageSize: 3)) { bot in
            try await bot.signIn(owner)
            for i in 1...7 { _ = try await addDevice(bot, owner, target: "10.9.0.\(i)", name: "n\(i)") }
            try await bot.say(owner, "/monitoring")
            #expect(bot.lastText(owner).contains("n3") && !bot.lastText(owner).contains("n4"))
            try await bot.press(owner, "»")
            #expect(bot.lastText(owner).contains("n4"))
            #expect(bot.fake.lastMessage(in: owner.chatID)?.button(labelled: "2/3") != nil)
        }
    }
}

struct SettingsTests {
    let user = FakeUser(id: 4001, firstName: "Ольга", languageCode: "ru")

    @Test func languageThresholdIntervalAndMuteAreSaved() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/settings")
            #expect(bot.lastText(user).contains("Тревога после неудачных проверок подряд: 3"))
            try await bot.press(user, "⚠️ после 5 сбоев")
            try await bot.press(user, "⏱ раз в 5 мин")
            try await bot.press(user, "🔕 тишина 1 ч")
            var saved = try await bot.repositories.users.get(user.id)
            #expect(saved?.settings.failuresBeforeAlert == 5)
            #expect(saved?.settings.checkIntervalSeconds == 300)
            #expect(saved?.settings.isMuted() == true)
            try await bot.press(user, "🔔 Включить")
            try await bot.press(user, "🇬🇧 English")
            saved = try await bot.repositories.users.get(user.id)
            #expect(saved?.settings.isMuted() == false)
            #expect(saved?.language == "en")
            #expect(try await bot.say(user, "/help").first?.text.contains("Questions people ask") == true)
        }
    }
}

struct TelegramFaultTests {
    let user = FakeUser(id: 5001, firstName: "Fault", languageCode: "en")

    @Test func repliesSurvive429And5xxWithoutDuplicates() async throws {
        try await BotHarness.run { bot in
            bot.fake.failNext(method: "sendMessage", count: 1, with: .tooManyRequests(retryAfter: 1))
            bot.fake.failNext(method: "sendMessage", count: 2, with: .serverError(status: 502))
            try await bot.say(user, "/start")
            let sent = bot.fake.history(of: user.chatID).filter(\.fromBot)
            #expect(sent.count == 1)
            #expect(sent.first?.text.hasPrefix("Hi, Fault") == true)
        }
    }
}
