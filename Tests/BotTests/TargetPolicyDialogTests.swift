import Bot
import Checks
import FakeTelegramAPI
import Storage
import TestSupport
import Testing

/// The add dialog asks the target policy before it saves: with TARGET_DENY=127.0.9.0/24 the user
/// gets one line naming the rule and stays on the address step; nothing is saved.
struct TargetPolicyDialogTests {
    let admin = FakeUser(id: 3001, firstName: "Админ", languageCode: "ru")
    let user = FakeUser(id: 3002, firstName: "Пётр", languageCode: "en")

    /// As `uptime-bot run` wires it (TargetPolicyWiring.vetting).
    static func vetting() throws -> TargetVetting {
        let vetter = TargetVetter(policy: TargetPolicy(deny: try .parse("127.0.9.0/24", setting: "TARGET_DENY")))
        return TargetVetting { kind, target, ownerIsAdmin, language in
            await vetter.refusal(
                for: CheckTarget(kind: kind == .icmp ? .icmp : .http, target: target, ownerIsAdmin: ownerIsAdmin))?
                .description(in: language)
        }
    }

    @Test func aDeniedServerAddressIsRefusedInTheAddDialogNamingThePolicy() async throws {
        try await BotHarness.run(settings: BotSettings(adminIDs: [admin.id]), targetVetting: try Self.vetting()) {
            bot in
            try await bot.signIn(admin)
            try await bot.say(admin, "/add")
            try await bot.press(admin, "🌐 Сайт (URL)")
            try await bot.say(admin, "http://127.0.9.1:8080/health")
            #expect(
                bot.lastText(admin)
                    == "⛔ Адрес не принят: 127.0.9.1 запрещён настройкой TARGET_DENY (127.0.9.0/24). Отправьте другой адрес или /cancel."
            )
            #expect(try await bot.fsmState(admin) == "AddMonitor:target")
            // The admin may add loopback outside the denied range, in the same dialog.
            try await bot.say(admin, "http://127.0.0.1:8080/health")
            #expect(try await bot.fsmState(admin) == "AddMonitor:name")
            try await bot.press(admin, "Пропустить")
            let saved = try await bot.repositories.monitors.list(ownerID: admin.id).map(\.target)
            #expect(saved == ["http://127.0.0.1:8080/health"])
        }
    }

    @Test func aNonAdminMayNotAddLoopback() async throws {
        // The user is listed: under SIGNUP=approval an unlisted one would wait for the admin.
        let settings = BotSettings(allowedPhones: ["79990001122"], adminIDs: [admin.id])
        try await BotHarness.run(settings: settings, targetVetting: try Self.vetting()) { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.say(user, "127.0.0.1")
            #expect(bot.lastText(user).contains("loopback is for admins only"))
            #expect(bot.lastText(user).hasPrefix("⛔ The bot's target policy refuses this address"))
            #expect(try await bot.fsmState(user) == "AddMonitor:target")
            #expect(try await bot.repositories.monitors.list(ownerID: user.id).isEmpty)
        }
    }

    @Test func changingTheAddressToADeniedOneAndResumingADeniedMonitorAreRefused() async throws {
        try await BotHarness.run(settings: BotSettings(adminIDs: [user.id]), targetVetting: try Self.vetting()) { bot in
            try await bot.signIn(user)
            let box = MonitorRecord(ownerID: user.id, kind: .icmp, target: "127.0.0.5", name: "box")
            var parked = MonitorRecord(ownerID: user.id, kind: .icmp, target: "127.0.9.5", name: "parked")
            parked.enabled = false
            try await bot.repositories.monitors.create(box)
            try await bot.repositories.monitors.create(parked)
            try await bot.say(user, "/monitoring")
            try await bot.press(user, "⚪ box")
            try await bot.press(user, "🎯 Change address")
            try await bot.say(user, "127.0.9.1")
            #expect(bot.lastText(user).contains("127.0.9.1 is denied by TARGET_DENY (127.0.9.0/24)"))
            #expect(try await bot.fsmState(user) == "EditMonitor:target")
            #expect(try await bot.repositories.monitors.get(box.id)?.target == "127.0.0.5")
            try await bot.say(user, "/cancel")

            try await bot.say(user, "/monitoring")
            try await bot.press(user, "⏸ parked")
            try await bot.press(user, "▶️ Resume")
            #expect(bot.lastText(user).hasPrefix("⛔ Not resumed"))
            #expect(try await bot.repositories.monitors.get(parked.id)?.enabled == false)
        }
    }
}
