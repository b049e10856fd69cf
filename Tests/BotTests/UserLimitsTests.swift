import BSON
import Bot
import FakeTelegramAPI
import Storage
import TestSupport
import Testing

/// MAX_ADDS_PER_MINUTE and MIN_CHECK_INTERVAL beside MAX_MONITORS_PER_USER; each refusal names its limit.
struct UserLimitsTests {
    let user = FakeUser(id: 7001, firstName: "Lim", languageCode: "en")

    func addDevice(_ bot: BotHarness, _ target: String) async throws {
        try await bot.say(user, "/add")
        try await bot.press(user, "🖥 Device (IP / host)")
        try await bot.say(user, target)
        try await bot.say(user, "box \(target)")
    }

    @Test func addsBeyondMaxAddsPerMinuteAreRefusedNamingTheLimit() async throws {
        try await BotHarness.run(settings: BotSettings(maxAddsPerMinute: 2)) { bot in
            try await bot.signIn(user)
            try await addDevice(bot, "10.0.1.1")
            try await addDevice(bot, "10.0.1.2")
            let refusal = try await bot.say(user, "/add")
            #expect(refusal.last?.text.contains("MAX_ADDS_PER_MINUTE") == true, "\(refusal.map(\.text))")
            #expect(try await bot.fsmState(user) == nil)
            #expect(try await bot.repositories.monitors.count(ownerID: user.id) == 2)
        }
    }

    @Test func theMonitorCountLimitNamesItsSetting() async throws {
        try await BotHarness.run(settings: BotSettings(maxMonitorsPerUser: 1)) { bot in
            try await bot.signIn(user)
            try await addDevice(bot, "10.0.1.3")
            #expect(try await bot.say(user, "/add").last?.text.contains("MAX_MONITORS_PER_USER") == true)
        }
    }

    @Test func theCatalogRefusesTheAddThatWouldExceedTheRateAndKeepsNothing() async throws {
        let monitors = MemoryMonitorRepository()
        let catalog = MonitorCatalog(
            monitors: monitors, checks: MemoryCheckHistoryRepository(), limit: 10, addsPerMinute: 1)
        let first = try await catalog.add(ownerID: 1, kind: .icmp, target: "10.0.2.1", name: "a")
        guard case .added = first else {
            Issue.record("first add refused: \(first)")
            return
        }
        #expect(try await catalog.add(ownerID: 1, kind: .icmp, target: "10.0.2.2", name: "b") == .tooManyAdds(1))
        // Another user has their own minute.
        guard case .added = try await catalog.add(ownerID: 2, kind: .icmp, target: "10.0.2.2", name: "b") else {
            Issue.record("another user's add refused")
            return
        }
        #expect(try await monitors.count(ownerID: 1) == 1)
    }

    @Test func intervalsUnderMinCheckIntervalAreNotOfferedAndAForgedPressIsRefused() async throws {
        try await BotHarness.run(settings: BotSettings(minCheckInterval: 60)) { bot in
            try await bot.signIn(user)
            let screen = try #require(try await bot.say(user, "/settings").last)
            let intervals = screen.buttons.compactMap(\.callbackData).filter { $0.hasPrefix("si:") }
            #expect(intervals == ["si:60", "si:300", "si:900"])
            try await bot.pressData(user, "si:30", on: screen.messageID)
            let answer = bot.fake.calls(method: "answerCallbackQuery").last
            #expect(answer?.params["text"]?.stringValue?.contains("MIN_CHECK_INTERVAL") == true)
            #expect(try await bot.repositories.users.get(user.id)?.settings.checkIntervalSeconds == nil)
        }
    }
}
