import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Storage
import TestSupport
import Testing

/// The item view's ⚙️ settings, walked through the fake Bot API on the real mongod.
struct MonitorSettingsChatTests {
    let owner = FakeUser(id: 3101, firstName: "Owner", languageCode: "en")
    let russian = FakeUser(id: 3102, firstName: "Владелец", languageCode: "ru")

    func addSite(_ bot: BotHarness, _ user: FakeUser, name: String) async throws -> MonitorRecord {
        let monitor = MonitorRecord(ownerID: user.id, kind: .http, target: "https://\(name).example/health", name: name)
        try await bot.repositories.monitors.create(monitor)
        return monitor
    }

    func openSettings(_ bot: BotHarness, _ user: FakeUser, _ name: String) async throws {
        try await bot.say(user, "/monitoring")
        try await bot.press(user, "⚪ \(name)")
        try await bot.press(user, user.languageCode == "ru" ? "⚙️ Настройки" : "⚙️ Settings")
    }

    @Test func perMonitorSettingsChangedInTheItemViewAreStoredAndShown() async throws {
        try await BotHarness.run(settings: BotSettings(minCheckInterval: 30, checkTimeout: 15)) { bot in
            try await bot.signIn(owner)
            let monitor = try await addSite(bot, owner, name: "billing")
            try await openSettings(bot, owner, "billing")
            #expect(bot.lastText(owner).contains("Check interval: 1 min (default)"), "\(bot.lastText(owner))")

            try await bot.press(owner, "Check interval")
            #expect(try await bot.fsmState(owner) == "MonitorSettings:value")
            try await bot.say(owner, "5m")
            try await bot.press(owner, "Failures before an alert")
            try await bot.say(owner, "4")
            try await bot.press(owner, "Timeout")
            try await bot.say(owner, "7")
            try await bot.press(owner, "Slow threshold")
            try await bot.say(owner, "800")
            try await bot.press(owner, "Keyword")
            try await bot.say(owner, "healthy")
            try await bot.press(owner, "Expected status")
            try await bot.say(owner, "200-299, 304")

            let stored = try #require(try await bot.repositories.monitors.get(monitor.id))
            #expect(stored.intervalSeconds == 300)
            #expect(stored.keyword == "healthy")
            #expect(
                stored.options
                    == MonitorOptions(
                        failuresBeforeAlert: 4, timeoutSeconds: 7, slowThresholdMs: 800, expectedStatus: "200-299,304"))
            let screen = bot.lastText(owner)
            for line in [
                "Check interval: 5 min", "Failures before an alert: 4", "Timeout: 7 s", "Slow threshold: 800 ms",
                "Keyword: healthy", "Expected status: 200-299,304",
            ] {
                #expect(screen.contains(line), "\(line) in \(screen)")
            }
            #expect(try await bot.fsmState(owner) == nil)

            // Back to the owner's setting.
            try await bot.press(owner, "Timeout")
            try await bot.press(owner, "↩️ Default")
            #expect(try await bot.repositories.monitors.get(monitor.id)?.options.timeoutSeconds == nil)
            #expect(bot.lastText(owner).contains("Timeout: 15 s (default)"), "\(bot.lastText(owner))")
            #expect(try await bot.fsmState(owner) == nil)
        }
    }

    @Test func httpOptionsMethodKeywordAbsentAndAMaskedHeaderThatIsNeverShownWhole() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(owner)
            let monitor = try await addSite(bot, owner, name: "api")
            try await openSettings(bot, owner, "api")
            try await bot.press(owner, "Method: GET")
            try await bot.press(owner, "Keyword: must be present")
            let secret = "Bearer s3cr3t-token-0123456789"
            try await bot.press(owner, "Header")
            let replies = try await bot.say(owner, "Authorization: \(secret)")
            let stored = try #require(try await bot.repositories.monitors.get(monitor.id))
            #expect(stored.options.method == "HEAD")
            #expect(stored.options.keywordAbsent == true)
            #expect(stored.options.header == MonitorHeader(name: "Authorization", value: secret))
            #expect(bot.lastText(owner).contains("Header: Authorization: Bea…••••"), "\(bot.lastText(owner))")
            // Nothing the bot wrote holds the secret, and the user's message that carried it is gone.
            let everything = bot.fake.history(of: owner.chatID)
            let leaked = everything.filter { $0.fromBot && $0.text.contains("s3cr3t") }
            let carried = everything.filter { !$0.fromBot && $0.text.contains("s3cr3t") }
            #expect(leaked.isEmpty)
            #expect(!carried.isEmpty && carried.allSatisfy { $0.isDeleted })
            #expect(!replies.isEmpty)
        }
    }

    @Test func badValuesAreRefusedInRussianFirstAndLeaveTheStoredMonitorAsItWas() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(russian)
            let monitor = try await addSite(bot, russian, name: "shop")
            try await openSettings(bot, russian, "shop")
            let before = try #require(try await bot.repositories.monitors.get(monitor.id))

            try await bot.press(russian, "Заголовок")
            try await bot.say(russian, "X-Api-Key: abc\r\nX-Evil: 1")
            #expect(bot.lastText(russian).contains("переводов строки (CR/LF)"), "\(bot.lastText(russian))")
            #expect(try await bot.fsmState(russian) == "MonitorSettings:value")
            try await bot.say(russian, "X-Api-Key: abc\nX-Evil: 1")
            #expect(bot.lastText(russian).contains("CR/LF"))
            try await bot.say(russian, "/cancel")

            try await bot.press(russian, "Ожидаемый статус")
            for bad in ["200-", "300-200", "99", "abc", "2xx,,3xx", "600"] {
                try await bot.say(russian, bad)
                #expect(bot.lastText(russian).hasPrefix("⚠️"), "\(bad): \(bot.lastText(russian))")
                #expect(try await bot.fsmState(russian) == "MonitorSettings:value")
            }
            try await bot.say(russian, "/cancel")

            try await bot.press(russian, "Неудач до тревоги")
            try await bot.say(russian, "0")
            #expect(bot.lastText(russian).contains("Вне допустимого: от 1 до 20"), "\(bot.lastText(russian))")
            try await bot.say(russian, "/cancel")
            try await bot.press(russian, "Интервал проверки")
            try await bot.say(russian, "5")
            #expect(bot.lastText(russian).contains("от 30 до 86400"), "\(bot.lastText(russian))")
            try await bot.say(russian, "/cancel")
            try await bot.press(russian, "Таймаут")
            try await bot.say(russian, "9999")
            #expect(bot.lastText(russian).contains("Вне допустимого"))
            try await bot.say(russian, "/cancel")
            #expect(try await bot.repositories.monitors.get(monitor.id) == before)

            // A 10,000-character keyword is cut to 200, and the owner is told.
            try await bot.press(russian, "Ключевое слово")
            try await bot.say(russian, String(repeating: "к", count: 10_000))
            let history = bot.fake.messages(in: russian.chatID).map(\.text)
            #expect(history.contains { $0.contains("из 10000 символов обрезано до 200") }, "\(history.suffix(3))")
            #expect(try await bot.repositories.monitors.get(monitor.id)?.keyword?.count == 200)
        }
    }
}

/// What the list and the item view show of the slow state, the certificate and the uptime's slow share.
struct SlowAndCertificateViewTests {
    let owner = FakeUser(id: 3103, firstName: "Owner", languageCode: "en")

    @Test func theListAndTheItemViewShowSlowCertificateAndTheSlowShareOfUptime() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(owner)
            let monitor = MonitorRecord(
                ownerID: owner.id, kind: .http, target: "https://portal.example/", name: "portal")
            try await bot.repositories.monitors.create(monitor)
            let now = Date()
            let expiry = now.addingTimeInterval(10 * 86_400 + 3600)
            try await bot.repositories.monitors.recordChecks([
                monitor.id: MonitorCheckState(
                    status: .up, statusSince: now.addingTimeInterval(-600), failStreak: 0, successStreak: 5,
                    lastCheck: LastCheck(at: now, ok: true, rttMs: 950, httpStatus: 200),
                    slow: SlowState(active: true, since: now.addingTimeInterval(-300)),
                    certificate: CertificateRecord(
                        notAfter: expiry, issuer: "CN=Corp CA", serial: "0A", warned: [30, 14]))
            ])
            try await bot.repositories.checks.append([
                CheckRecord(monitorID: monitor.id, ownerID: owner.id, at: now, ok: true, rttMs: 950, slow: true),
                CheckRecord(monitorID: monitor.id, ownerID: owner.id, at: now, ok: true, rttMs: 90),
                CheckRecord(monitorID: monitor.id, ownerID: owner.id, at: now, ok: true, rttMs: 95),
                CheckRecord(monitorID: monitor.id, ownerID: owner.id, at: now, ok: false),
            ])
            let list = try await bot.say(owner, "/monitoring").last?.text ?? ""
            #expect(list.contains("🟡 portal"), "\(list)")
            try await bot.press(owner, "🟡 portal")
            let item = bot.lastText(owner)
            #expect(item.contains("Status: slow"), "\(item)")
            #expect(item.contains("Certificate: until "), "\(item)")
            #expect(item.contains(" UTC (10 d), issuer CN=Corp CA"), "\(item)")
            #expect(item.contains("Uptime: 24h 75.00% (slow 25.0%)"), "\(item)")
        }
    }

    @Test func certificateWarningsCanBeSwitchedOffAndOnInSettings() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(owner)
            try await bot.say(owner, "/settings")
            #expect(bot.lastText(owner).contains("Warn of certificate expiry 30/14/7/1 days ahead: on"))
            try await bot.press(owner, "📜 Turn certificate warnings off")
            #expect(try await bot.repositories.users.get(owner.id)?.settings.certificateWarnings == false)
            #expect(bot.lastText(owner).contains("Warn of certificate expiry: off"))
            try await bot.press(owner, "📜 Turn certificate warnings on")
            #expect(try await bot.repositories.users.get(owner.id)?.settings.certificateWarnings == nil)
        }
    }
}
