import Bot
import FakeTelegramAPI
import Storage
import TestSupport
import Testing

/// TCP ports and DNS names through the add dialog, against the fake Bot API and a real mongod:
/// chosen by button or typed at the kind step, stored in their one written form, shown in the list
/// and the item view; bad input is refused with a clear message and the user stays on the step.
struct NetworkMonitorDialogTests {
    let user = FakeUser(id: 2101, firstName: "Анна", languageCode: "ru")
    let english = FakeUser(id: 2102, firstName: "Ann", languageCode: "en")

    @Test func aTCPPortIsAddedThroughTheDialogAndShownInTheListAndItemView() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.press(user, "🔌 TCP-порт (хост:порт)")
            #expect(bot.lastText(user).contains("хост и порт"))
            try await bot.say(user, "DB.local:5432")
            #expect(try await bot.fsmState(user) == "AddMonitor:name")
            try await bot.say(user, "База")
            #expect(bot.lastText(user).contains("Добавлено: База (tcp://db.local:5432)"))
            let monitors = try await bot.repositories.monitors.list(ownerID: user.id)
            #expect(monitors.map(\.kind) == [.tcp])
            #expect(monitors.map(\.target) == ["tcp://db.local:5432"])
            let list = try await bot.say(user, "/monitoring").last
            #expect(list?.text.contains("База — tcp://db.local:5432") == true, "\(list?.text ?? "")")
            try await bot.press(user, "⚪ База")
            #expect(bot.lastText(user).contains("TCP-порт"), "\(bot.lastText(user))")
        }
    }

    @Test func aBannerCheckTypedAtTheKindStepIsATCPMonitor() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(english)
            try await bot.say(english, "/add")
            try await bot.say(english, "tcp://10.0.0.5:22?expect=SSH-2.0")
            try await bot.press(english, "Skip")
            let monitor = try await bot.repositories.monitors.list(ownerID: english.id).first
            #expect(monitor?.kind == .tcp)
            #expect(monitor?.target == "tcp://10.0.0.5:22?expect=SSH-2.0")
        }
    }

    @Test func aDNSNameIsAddedForTheSystemResolverOrAChosenServer() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.press(user, "🧭 DNS-имя")
            #expect(bot.lastText(user).contains("имя для проверки"))
            try await bot.say(user, "Intranet.Corp")
            try await bot.press(user, "Пропустить")
            try await bot.say(user, "/add")
            try await bot.say(user, "dns://10.0.0.53/mail.corp?type=MX&expect=mx1.corp")
            try await bot.say(user, "Почта")
            let monitors = try await bot.repositories.monitors.list(ownerID: user.id)
            #expect(Set(monitors.map(\.kind)) == [.dns])
            #expect(
                Set(monitors.map(\.target)) == [
                    "dns:///intranet.corp?type=A", "dns://10.0.0.53/mail.corp?type=MX&expect=mx1.corp",
                ])
            try await bot.say(user, "/monitoring")
            try await bot.press(user, "⚪ Почта")
            #expect(bot.lastText(user).contains("DNS-имя"))
        }
    }

    @Test(arguments: [
        ("server:0", "Неверный порт"), ("server:65536", "Неверный порт"), ("my server:22", "не имя хоста"),
        ("server", "Укажите порт"), ("tcp://h:25?send=\(String(repeating: "x", count: 600))", "Текст для отправки"),
        ("tcp://h:25?send=EHLO%0D%0A&expect=\(String(repeating: "y", count: 300))", "Ожидаемый ответ"),
    ])
    func badTCPTargetsAreRefusedAndTheStepStays(_ input: String, _ expected: String) async throws {
        try await expectRefused(kind: "🔌 TCP-порт (хост:порт)", input, expected)
    }

    @Test(arguments: [
        ("intranet..corp", "пустая часть"), (".corp", "пустая часть"), ("intra net.corp", "пробел"),
        ("dns://10.0.0.53:0/a.corp", "Неверный порт"), ("dns:///a.corp?type=SOA", "SOA"),
        ("dns:///a.corp?expect=\(String(repeating: "z", count: 300))", "Ожидаемый ответ"),
    ])
    func badDNSTargetsAreRefusedAndTheStepStays(_ input: String, _ expected: String) async throws {
        try await expectRefused(kind: "🧭 DNS-имя", input, expected)
    }

    @Test func refusalsAreInEnglishForEnglishUsers() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(english)
            try await bot.say(english, "/add")
            try await bot.press(english, "🔌 TCP port (host:port)")
            try await bot.say(english, "server:65536")
            #expect(bot.lastText(english).contains("Invalid port: 1 to 65535"))
            #expect(try await bot.fsmState(english) == "AddMonitor:target")
        }
    }

    private func expectRefused(kind: String, _ input: String, _ expected: String) async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.press(user, kind)
            let replies = try await bot.say(user, input)
            #expect(replies.last?.text.contains(expected) == true, "reply: \(replies.last?.text ?? "-")")
            #expect(try await bot.fsmState(user) == "AddMonitor:target")
            #expect(try await bot.repositories.monitors.count(ownerID: user.id) == 0)
        }
    }
}
