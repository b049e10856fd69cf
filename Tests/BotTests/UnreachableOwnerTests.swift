import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Monitor
import Storage
import TelegramAPI
import TestSupport
import Testing

/// An owner who blocks the bot and comes back: alerts are kept for them, and any update from them
/// makes them reachable again (issue #12, point 1).
struct UnreachableOwnerTests {
    let ivan = FakeUser(id: 1201, firstName: "Иван", languageCode: "ru")

    @Test func ownerWhoBlockedAndCameBackGetsTheKeptAlertsAsOneSummaryAndLaterAlertsAsUsual() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(ivan)
            bot.fake.block(by: ivan)
            let sending = startOutbox(bot)
            defer { sending.cancel() }
            try await bot.repositories.outbox.enqueue(
                OutboxMessage(chatID: ivan.id, text: "🔴 <b>router</b> недоступен", dedupeKey: "alert:m1:down:1"))
            try await waitFor("the owner is marked unreachable") {
                try await bot.repositories.users.get(ivan.id)?.unreachable == true
            }
            try await bot.repositories.outbox.enqueue(
                OutboxMessage(chatID: ivan.id, text: "🔴 <b>site</b> недоступен", dedupeKey: "alert:m2:down:1"))
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await bot.repositories.outbox.pendingCount() == 2, "kept, not given up")

            bot.fake.block(by: ivan, false)
            try await bot.say(ivan, "/start")  // a signed-in user only writing again
            #expect(try await bot.repositories.users.get(ivan.id)?.unreachable == false)
            try await waitFor("the summary arrives") {
                bot.fake.messages(in: ivan.chatID).contains { $0.text.contains("Пока бот был заблокирован") }
            }
            let summary = try #require(bot.fake.messages(in: ivan.chatID).last { $0.text.contains("📬") })
            #expect(summary.text.contains("router недоступен") && summary.text.contains("site недоступен"))

            try await bot.repositories.outbox.enqueue(
                OutboxMessage(chatID: ivan.id, text: "🟢 <b>router</b> снова работает", dedupeKey: "alert:m1:up:2"))
            try await waitFor("the next alert arrives") {
                bot.fake.messages(in: ivan.chatID).contains { $0.text.contains("router снова работает") }
            }
            // Telegram has it before the outbox records it as sent: wait for that write too.
            try await waitFor("nothing is left pending") { try await bot.repositories.outbox.pendingCount() == 0 }
        }
    }

    @Test func anyUpdateFromAnUnreachableUserClearsTheMark() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(ivan)
            try await bot.repositories.users.setUnreachable(ivan.id, true)
            try await bot.say(ivan, "какой-то текст")
            #expect(try await bot.repositories.users.get(ivan.id)?.unreachable == false)
        }
    }

    @Test func aForbiddenThatIsNotABlockGivesUpTheMessageButKeepsTheOwnerReachable() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(ivan)
            bot.fake.failNext(
                method: "sendMessage", count: 1,
                with: .forbidden(description: "Forbidden: bot can't initiate conversation with a user"))
            let sending = startOutbox(bot)
            defer { sending.cancel() }
            try await bot.repositories.outbox.enqueue(
                OutboxMessage(chatID: ivan.id, text: "first", dedupeKey: "alert:m1:down:1"))
            try await waitFor("the refused message is given up") {
                try await bot.repositories.outbox.pendingCount() == 0
            }
            #expect(try await bot.repositories.users.get(ivan.id)?.unreachable == false)
        }
    }

    @Test func alertsKeptLongerThanTheRetentionAreGivenUpNotSentLater() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(ivan)
            bot.fake.block(by: ivan)
            let sending = startOutbox(
                bot,
                OutboxSenderConfiguration(
                    pollInterval: .milliseconds(100), awayRetention: .seconds(1), awayRecheck: .milliseconds(200)))
            defer { sending.cancel() }
            try await bot.repositories.outbox.enqueue(
                OutboxMessage(chatID: ivan.id, text: "old alert", dedupeKey: "alert:m1:down:1"))
            try await waitFor("the kept alert expires") { try await bot.repositories.outbox.pendingCount() == 0 }
            let document = try await bot.database.collection("outbox").findOne(["dedupe_key": "alert:m1:down:1"])
            #expect(document?["state"]?.stringValue == "failed")
            #expect(document?["last_error"]?.stringValue?.contains("unreachable") == true)
            bot.fake.block(by: ivan, false)
            try await bot.say(ivan, "/start")
            try await Task.sleep(for: .milliseconds(500))
            #expect(!bot.fake.messages(in: ivan.chatID).contains { $0.text.contains("old alert") })
        }
    }
}

/// Polls `condition` until it holds (30 s at most).
/// The outbox sender the bot's composition root runs, polling every 100 ms; cancel the task to stop it.
func startOutbox(
    _ bot: BotHarness,
    _ configuration: OutboxSenderConfiguration = OutboxSenderConfiguration(pollInterval: .milliseconds(100)),
    wallClock: any WallClock = SystemWallClock()
) -> Task<Void, any Error> {
    let outbox = OutboxSender(
        repositories: bot.repositories, api: bot.outboxAPI(), configuration: configuration, wallClock: wallClock,
        logger: TestMongo.logger)
    return Task { try await outbox.run() }
}

func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw HarnessError("timed out: \(what)")
}
