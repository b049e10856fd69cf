import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Storage
import TestSupport
import Testing

/// /export as JSON or CSV, and such a file sent back to the bot; refusals before and after download.
struct ExportImportTests {
    let anna = FakeUser(id: 2201, firstName: "Анна", languageCode: "ru")
    let boris = FakeUser(id: 2202, firstName: "Boris", languageCode: "en")

    func addThree(_ bot: BotHarness) async throws {
        try await bot.say(anna, "/add")
        try await bot.say(anna, "Роутер, \"главный\" 10.0.5.1\n=SUM(A1) | 10.0.5.2\nСайт | https://example.org/health")
        try await bot.say(anna, "/cancel")
        let paused = try #require(
            try await bot.repositories.monitors.list(ownerID: anna.id).first { $0.target == "10.0.5.2" })
        _ = try await bot.repositories.monitors.update(paused.id, ownerID: anna.id, MonitorChanges(enabled: false))
    }

    func summary(_ monitors: [MonitorRecord]) -> Set<String> {
        Set(monitors.map { "\($0.kind.rawValue)|\($0.target)|\($0.name)|\($0.enabled)" })
    }

    /// The user forwards the bot's last document back to it (as someone else, or themselves).
    func sendBack(_ bot: BotHarness, _ document: FakeMessage, from user: FakeUser) async throws -> [FakeMessage] {
        let file = try #require(document.fileID.flatMap { bot.fake.file(id: $0) })
        let before = bot.fake.history(of: user.chatID).filter(\.fromBot).count
        try await bot.handled(
            bot.fake.sendDocument(from: user, fileName: file.fileName, mimeType: file.mimeType, bytes: file.bytes))
        return Array(bot.fake.history(of: user.chatID).filter(\.fromBot).dropFirst(before))
    }

    @Test func aJSONExportReadBackByAnotherUserAddsTheSameMonitorsAndByItsOwnerAddsNothing() async throws {
        try await BotHarness.run(settings: BotSettings(allowedPhones: ["79990001122"])) { bot in
            try await bot.signIn(anna)
            try await bot.signIn(boris)
            try await addThree(bot)
            let export = try #require(try await bot.say(anna, "/export").last)
            let file = try #require(export.fileID.flatMap { bot.fake.file(id: $0) })
            #expect(file.fileName?.hasSuffix(".json") == true)
            #expect(file.mimeType == "application/json")
            #expect(export.text.contains("Ваши объекты: 3"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(file.bytes)) as? [String: Any])
            #expect(json["format"] as? String == "uptimebot.monitors")
            let records = try #require(json["monitors"] as? [[String: Any]])
            // Only these four fields leave the bot: nothing of the check state, no option or secret.
            #expect(records.allSatisfy { Set($0.keys) == ["name", "kind", "target", "enabled"] })

            let replies = try await sendBack(bot, export, from: boris)
            #expect(replies.count == 1)
            #expect(replies.last?.text.contains("Added: 3 · ⛔ Refused: 0") == true, "\(replies.map(\.text))")
            let original = try await bot.repositories.monitors.list(ownerID: anna.id)
            #expect(summary(try await bot.repositories.monitors.list(ownerID: boris.id)) == summary(original))

            let again = try #require(try await sendBack(bot, export, from: anna).last?.text)
            #expect(again.contains("Добавлено: 0 · ⛔ Отклонено: 3"), "\(again)")
            #expect(again.contains("уже отслеживается"))
            #expect(try await bot.repositories.monitors.list(ownerID: anna.id) == original)
        }
    }

    @Test func aCSVExportFromTheListButtonRestoresDeletedMonitorsWithTheirNames() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(anna)
            try await addThree(bot)
            let before = summary(try await bot.repositories.monitors.list(ownerID: anna.id))
            try await bot.say(anna, "/monitoring")
            try await bot.press(anna, "📤 Экспорт CSV")
            let export = try #require(bot.fake.messages(in: anna.chatID).last { $0.fileID != nil })
            let file = try #require(export.fileID.flatMap { bot.fake.file(id: $0) })
            let csv = String(decoding: file.bytes, as: UTF8.self)
            #expect(csv.hasPrefix("name,kind,target,enabled\r\n"))
            #expect(csv.contains("\"Роутер, \"\"главный\"\"\",icmp,10.0.5.1,true"))
            #expect(csv.contains("'=SUM(A1),icmp,10.0.5.2,false"), "a formula is not run by a spreadsheet")
            for monitor in try await bot.repositories.monitors.list(ownerID: anna.id) {
                _ = try await bot.repositories.monitors.delete(monitor.id, ownerID: anna.id)
            }
            let replies = try await sendBack(bot, export, from: anna)
            #expect(replies.last?.text.contains("Добавлено: 3") == true, "\(replies.map(\.text))")
            #expect(summary(try await bot.repositories.monitors.list(ownerID: anna.id)) == before)
        }
    }

    @Test func aFileOverOneMegabyteIsRefusedByItsAnnouncedSizeWithoutADownloadAndTheDialogStays() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(anna)
            try await bot.say(anna, "/add")
            let big = Array(repeating: UInt8(ascii: "1"), count: (1 << 20) + 1)
            try await bot.handled(
                bot.fake.sendDocument(from: anna, fileName: "big.txt", mimeType: "text/plain", bytes: big))
            #expect(bot.lastText(anna).contains("Файл больше 1024 КБ"), "\(bot.lastText(anna))")
            #expect(bot.fake.calls(method: "getFile").isEmpty)
            #expect(bot.fake.calls(method: "downloadFile").isEmpty)
            #expect(try await bot.fsmState(anna) == "AddMonitor:kind")
            // Without an announced size, the download itself stops at the limit.
            try await bot.handled(
                bot.fake.sendDocument(
                    from: anna, fileName: "big.txt", mimeType: "text/plain", bytes: big, announcesSize: false))
            #expect(bot.lastText(anna).contains("Файл больше 1024 КБ"), "\(bot.lastText(anna))")
            #expect(try await bot.repositories.monitors.count(ownerID: anna.id) == 0)
        }
    }

    @Test func aBinaryFileIsRefusedAndStoredMonitorsAndTheDialogAreUntouched() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(anna)
            _ = try await bot.repositories.monitors.create(
                MonitorRecord(ownerID: anna.id, kind: .icmp, target: "10.0.6.9", name: "kept"))
            try await bot.say(anna, "/add")
            try await bot.say(anna, "10.0.6.1")
            let stored = try await bot.repositories.monitors.list(ownerID: anna.id)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
            try await bot.handled(
                bot.fake.sendDocument(from: anna, fileName: "photo.png", mimeType: "image/png", bytes: png))
            #expect(bot.lastText(anna).contains("Это не текстовый файл"), "\(bot.lastText(anna))")
            let latin1 = Array("caf".utf8) + [0xE9] + Array("\n10.0.6.2\n".utf8)
            try await bot.handled(
                bot.fake.sendDocument(from: anna, fileName: "list.txt", mimeType: "text/plain", bytes: latin1))
            #expect(bot.lastText(anna).contains("Это не текстовый файл"))
            #expect(try await bot.repositories.monitors.list(ownerID: anna.id) == stored)
            #expect(try await bot.fsmState(anna) == "AddMonitor:name")
        }
    }
}
