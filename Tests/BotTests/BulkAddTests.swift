import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Storage
import Targets
import TestSupport
import Testing

/// A list pasted into the add dialog: each line its own verdict under the single add's rules, one summary.
struct BulkAddTests {
    let user = FakeUser(id: 2101, firstName: "Ольга", languageCode: "ru")

    /// Refuses every target in 10.9.0.0/16, as TARGET_DENY would.
    static let denying = TargetVetting { _, target, _, _ in
        target.hasPrefix("10.9.") ? "TARGET_DENY 10.9.0.0/16" : nil
    }

    @Test func aPastedListAddsTheGoodLinesAndGivesEveryBadOrRepeatedLineItsReason() async throws {
        try await BotHarness.run(targetVetting: Self.denying) { bot in
            try await bot.signIn(user)
            _ = try await bot.repositories.monitors.create(
                MonitorRecord(ownerID: user.id, kind: .icmp, target: "10.0.0.1", name: "old"))
            try await bot.say(user, "/add")
            try await bot.press(user, "🖥 Устройство (IP / хост)")
            let replies = try await bot.say(
                user,
                """
                10.0.0.2
                Роутер на втором этаже 10.0.0.3

                Сайт | https://Example.org/health
                999.1.1.1
                10.0.0.2
                10.0.0.1
                запрет 10.9.0.1
                ba\u{200B}d 10.0.0.4
                """)
            let summary = try #require(replies.last?.text)
            #expect(replies.count == 1, "one summary message: \(replies.map(\.text))")
            #expect(summary.contains("строк — 8"), "\(summary)")
            #expect(summary.contains("Добавлено: 3 · ⛔ Отклонено: 5 · ⏳ Сверх лимита: 0"), "\(summary)")
            #expect(summary.contains("Строка 1: ✅ 10.0.0.2 — 10.0.0.2"))
            #expect(summary.contains("Строка 2: ✅ Роутер на втором этаже — 10.0.0.3"))
            #expect(summary.contains("Строка 4: ✅ Сайт — https://example.org/health"))
            #expect(summary.contains("Строка 5: ⛔ 999.1.1.1 — Это не IPv4-адрес"))
            #expect(summary.contains("Строка 6: 🔁 10.0.0.2 — повтор строки 1"))
            #expect(summary.contains("Строка 7: 🔁 10.0.0.1 — уже отслеживается"))
            #expect(summary.contains("Строка 8: ⛔ 10.9.0.1 — не принят: TARGET_DENY 10.9.0.0/16"))
            #expect(summary.contains("Строка 9: ⛔ 10.0.0.4 — Название должно быть"))
            let monitors = try await bot.repositories.monitors.list(ownerID: user.id)
            #expect(
                Set(monitors.map(\.target)) == ["10.0.0.1", "10.0.0.2", "10.0.0.3", "https://example.org/health"])
            #expect(monitors.first { $0.target == "https://example.org/health" }?.kind == .http)
            #expect(monitors.first { $0.target == "10.0.0.1" }?.name == "old")
            // The dialog stays open for the next list; "Done" leaves it and shows the list.
            #expect(try await bot.fsmState(user) == "AddMonitor:target")
            try await bot.press(user, "Готово")
            #expect(try await bot.fsmState(user) == nil)
            #expect(bot.lastText(user).contains("Мониторинг — 4 из"), "\(bot.lastText(user))")
        }
    }

    @Test func aListTypedInsteadOfChoosingAKindGuessesEachLinesKind() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.say(user, "router.local\nhttp://intranet.local:8080/")
            let kinds = try await bot.repositories.monitors.list(ownerID: user.id).map { "\($0.kind):\($0.target)" }
            #expect(Set(kinds) == ["icmp:router.local", "http:http://intranet.local:8080/"])
        }
    }

    @Test func linesOverTheLimitsAreToldWhichLimitAndTheSingleAddCountsAgainAfterwards() async throws {
        try await BotHarness.run(settings: BotSettings(maxMonitorsPerUser: 3, maxAddsPerMinute: 2)) { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            let summary = try #require(try await bot.say(user, "10.0.3.1\n10.0.3.2\n10.0.3.3").last?.text)
            #expect(summary.contains("Добавлено: 2 · ⛔ Отклонено: 0 · ⏳ Сверх лимита: 1"), "\(summary)")
            #expect(summary.contains("Строка 3: ⏳ 10.0.3.3 — сверх 2 добавлений в минуту (MAX_ADDS_PER_MINUTE)"))
            #expect(try await bot.repositories.monitors.count(ownerID: user.id) == 2)
            // Still in the dialog: a single address now meets the same minute's limit.
            try await bot.say(user, "10.0.3.4")
            let refusal = try await bot.say(user, "четвёртый")
            #expect(refusal.last?.text.contains("MAX_ADDS_PER_MINUTE") == true, "\(refusal.map(\.text))")
        }
        try await BotHarness.run(settings: BotSettings(maxMonitorsPerUser: 2)) { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            let summary = try #require(try await bot.say(user, "a 10.0.4.1\nb 10.0.4.2\nc 10.0.4.3").last?.text)
            #expect(summary.contains("Строка 3: ⏳ 10.0.4.3 — сверх предела 2 объектов (MAX_MONITORS_PER_USER)"))
            #expect(try await bot.repositories.monitors.count(ownerID: user.id) == 2)
        }
    }

    @Test func aPasteOfFiveThousandLinesIsCappedAtTwoHundredAndTheVerdictsComeAsAFile() async throws {
        let settings = BotSettings(maxMonitorsPerUser: 1000, maxAddsPerMinute: 1000)
        try await BotHarness.run(settings: settings) { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            let lines = (0..<5000).map { "host \($0) 10.\($0 / 250).\($0 % 250).1" }
            let replies = try await bot.say(user, lines.joined(separator: "\n"))
            let summary = try #require(replies.last)
            #expect(replies.count == 1)
            #expect(summary.text.contains("Прочитаны первые 200 из 5000"), "\(summary.text)")
            #expect(summary.text.contains("Добавлено: 200"))
            #expect(summary.fileID != nil, "a verdict list over 4096 characters goes as a file")
            let file = try #require(summary.fileID.flatMap { bot.fake.file(id: $0) })
            #expect(file.fileName == "verdicts.txt")
            let text = String(decoding: file.bytes, as: UTF8.self)
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("Строка ") }.count == 200)
            #expect(text.contains("Строка 200: ✅ host 199 — 10.0.199.1"))
            #expect(try await bot.repositories.monitors.count(ownerID: user.id) == 200)
            #expect(try await bot.fsmState(user) == "AddMonitor:target")
        }
    }
}
