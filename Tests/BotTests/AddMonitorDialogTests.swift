import BSON
import Bot
import FakeTelegramAPI
import Storage
import TestSupport
import Testing

struct AddMonitorDialogTests {
    let user = FakeUser(id: 2001, firstName: "Пётр", languageCode: "ru")

    @Test func addingADeviceWalksKindTargetNameAndSavesIt() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            let list = try await bot.say(user, "/monitoring")
            #expect(list.last?.text.contains("Пока ничего не отслеживается") == true)
            try await bot.press(user, "➕ Добавить")
            #expect(try await bot.fsmState(user) == "AddMonitor:kind")
            try await bot.press(user, "🖥 Устройство (IP / хост)")
            #expect(try await bot.fsmState(user) == "AddMonitor:target")
            try await bot.say(user, "10.0.0.1")
            #expect(try await bot.fsmState(user) == "AddMonitor:name")
            try await bot.say(user, "Роутер <главный>")
            #expect(try await bot.fsmState(user) == nil)
            #expect(bot.lastText(user).contains("Добавлено: Роутер <главный> (10.0.0.1)"))
            let monitors = try await bot.repositories.monitors.list(ownerID: user.id)
            #expect(monitors.map(\.target) == ["10.0.0.1"])
            #expect(monitors.first?.kind == .icmp)
            #expect(monitors.first?.name == "Роутер <главный>")
        }
    }

    @Test func addingASiteNormalizesTheURLAndSkippingTheNameUsesTheTarget() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.press(user, "🌐 Сайт (URL)")
            try await bot.say(user, "Example.ORG/health")
            try await bot.press(user, "Пропустить")
            let monitor = try await bot.repositories.monitors.list(ownerID: user.id).first
            #expect(monitor?.target == "https://example.org/health")
            #expect(monitor?.kind == .http)
            #expect(monitor?.name == "https://example.org/health")
        }
    }

    @Test func typingAnAddressInsteadOfChoosingAKindIsAccepted() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.say(user, "http://intranet.local:8080/")
            #expect(try await bot.fsmState(user) == "AddMonitor:name")
        }
    }

    @Test(arguments: [
        ("999.1.1.1", "IPv4"), ("01.2.3.4", "IPv4"), ("exa mple.com", "имя хоста"), ("🙂.com", "имя хоста"),
        ("router\u{200B}.local", "невидимые"), ("\u{202E}lacol.retuor", "невидимые"),
        (String(repeating: "a", count: 5000), "длинный"),
    ])
    func invalidDeviceAddressesGetAClearMessageAndKeepTheStep(_ input: String, _ expected: String) async throws {
        try await expectTargetRefused(kind: "🖥 Устройство (IP / хост)", input, expected)
    }

    @Test(arguments: [
        ("http://", "нет имени сайта"), ("ftp://x", "http:// и https://"),
        ("https://admin:secret@example.org", "логин и пароль"),
        ("https://example.org:99999/", "порт"),
    ])
    func invalidSiteAddressesGetAClearMessageAndKeepTheStep(_ input: String, _ expected: String) async throws {
        try await expectTargetRefused(kind: "🌐 Сайт (URL)", input, expected)
    }

    /// Chooses `kind`, sends `input` as the target: the reply explains (`expected`), the user stays on
    /// the target step and nothing is saved.
    private func expectTargetRefused(kind: String, _ input: String, _ expected: String) async throws {
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

    @Test func duplicateTargetsAreRefused() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.say(user, "127.0.0.1")
            try await bot.press(user, "Пропустить")
            try await bot.say(user, "/add")
            try await bot.say(user, "127.0.0.1")
            #expect(bot.lastText(user).contains("уже отслеживается"))
            #expect(try await bot.fsmState(user) == "AddMonitor:target")
        }
    }

    @Test func thePerUserLimitIsEnforced() async throws {
        try await BotHarness.run(settings: BotSettings(maxMonitorsPerUser: 1)) { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.say(user, "127.0.0.1")
            try await bot.press(user, "Пропустить")
            try await bot.say(user, "/add")
            #expect(bot.lastText(user).contains("Достигнут предел: 1"))
            #expect(try await bot.fsmState(user) == nil)
        }
    }

    @Test func aLimitLoweredByARestartMidDialogIsEnforcedAtSave() async throws {
        try await BotHarness.run(settings: BotSettings(maxMonitorsPerUser: 2)) { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.say(user, "127.0.0.1")
            try await bot.press(user, "Пропустить")
            try await bot.say(user, "/add")
            try await bot.say(user, "127.0.0.2")
            #expect(try await bot.fsmState(user) == "AddMonitor:name")

            await bot.stop()
            bot.start(settings: BotSettings(maxMonitorsPerUser: 1))
            try await bot.press(user, "Пропустить")
            #expect(bot.lastText(user).contains("Достигнут предел: 1"))
            #expect(try await bot.fsmState(user) == nil)
            #expect(try await bot.repositories.monitors.list(ownerID: user.id).map(\.target) == ["127.0.0.1"])
        }
    }

    @Test func cancelLeavesTheDialogAndSavesNothing() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.say(user, "10.1.1.1")
            try await bot.say(user, "/cancel")
            #expect(try await bot.fsmState(user) == nil)
            #expect(try await bot.repositories.monitors.count(ownerID: user.id) == 0)
            #expect(try await bot.database.collection("fsm_states").count() == 0)
        }
    }

    @Test func aRestartMidDialogContinuesExactlyWhereTheUserWas() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.say(user, "10.2.2.2")
            let doc = try await bot.database.collection("fsm_states").findOne([
                "_id": .string("fsm:\(user.chatID):\(user.id)")
            ])
            #expect(doc?["state"] == "AddMonitor:name")
            #expect(doc?[path: "data.target"] == "10.2.2.2")

            await bot.stop()
            bot.start()
            try await bot.say(user, "Коммутатор")
            #expect(try await bot.repositories.monitors.list(ownerID: user.id).map(\.name) == ["Коммутатор"])
            let sentTexts = bot.fake.history(of: user.chatID).filter(\.fromBot).map(\.text)
            #expect(sentTexts.filter { $0.contains("Добавлено") }.count == 1)
        }
    }

    @Test func aPhotoInsideADialogRepeatsTheQuestion() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.press(user, "🖥 Устройство (IP / хост)")
            let id = bot.fake.enqueueRawUpdate([
                "message": [
                    "message_id": 999, "date": 0, "chat": ["id": .int(user.chatID), "type": "private"],
                    "from": ["id": .int(user.id), "is_bot": false, "first_name": "Пётр"], "photo": [],
                ]
            ])
            try await bot.handled(updateID: id)
            #expect(bot.lastText(user).contains("IP-адрес или имя хоста"))
            #expect(try await bot.fsmState(user) == "AddMonitor:target")
        }
    }
}
