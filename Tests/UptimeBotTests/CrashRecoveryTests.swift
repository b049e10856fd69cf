import BSON
import FakeTelegramAPI
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

/// The real `uptime-bot` binary, killed with SIGKILL while it holds updates Telegram has already
/// forgotten, then started again on the same database.
struct CrashRecoveryTests {
    let user = FakeUser(id: 7001, firstName: "Crash", languageCode: "en")

    @Test func updatesTakenButNotHandledWhenTheProcessIsKilledAreHandledOnceAfterTheRestart() async throws {
        try await TestMongo.withDatabase { db in
            try await withFakeBotAPIServer { fake in
                try await SchemaMigrator.standard(database: db, logger: TestMongo.logger).migrate()
                try await MongoUserRepository(database: db, logger: TestMongo.logger).upsert(
                    UserRecord(id: user.id, phone: "+79990001122", firstName: "Crash", language: "en"))

                // The first reply is held back for a minute (429), so the user's three updates queue up behind it.
                fake.failNext(method: "sendMessage", with: .tooManyRequests(retryAfter: 60))
                let first = try startBot(fake: fake, database: db)
                try await fake.waitForHeldPoll()
                let ids = [
                    fake.sendCommand(from: user, "help").updateID,
                    fake.sendText(from: user, text: "what now?").updateID,
                    fake.sendCommand(from: user, "settings").updateID,
                ]
                // The first one is being handled.
                try await fake.waitForCall(method: "sendMessage") { $0.status == 429 }
                try await fake.waitUntilConfirmed(updateID: ids[2])  // Telegram will not deliver them again
                try await waitUntilInInbox(db, ids)
                kill(first.pid, SIGKILL)
                #expect(await first.waitForExit(timeout: .seconds(10)) != nil)
                #expect(fake.messages(in: user.chatID).filter(\.fromBot).isEmpty)

                let second = try startBot(fake: fake, database: db)
                let replies: [FakeMessage]
                do {
                    replies = try await fake.waitForMessages(chat: user.chatID, count: 3, timeout: .seconds(20))
                } catch {
                    await second.terminate()
                    Issue.record(
                        "the logs: \(await first.collectOutput(timeout: .seconds(1)).output)\n\(await second.collectOutput(timeout: .seconds(1)).output)"
                    )
                    throw error
                }
                try await fake.waitForHeldPoll()
                await second.terminate()
                let texts = replies.filter(\.fromBot).map(\.text)
                #expect(texts.count == 3, "\(texts)")
                #expect(texts.first?.contains("/monitoring") == true, "the /help answer first: \(texts)")
                #expect(texts.last?.contains("Settings") == true, "the /settings answer last: \(texts)")
                #expect(fake.messages(in: user.chatID).filter(\.fromBot).count == 3, "nothing answered twice")
                let unhandled = try await db.collection("inbox").count(["handled": false])
                #expect(unhandled == 0)
                // Once handled only what recognises a re-delivery stays: the body is dropped (privacy).
                let entry = try await db.collection("inbox").findOne(["_id": .int64(ids[0])])
                #expect(entry?["handled"] == true)
                #expect(entry?["update"] == nil)
            }
        }
    }

    private func startBot(fake: FakeBotAPIServer, database: MongoDatabase) throws -> ServerProcess {
        try BotProcess.start(fake: fake, database: database)
    }

    private func waitUntilInInbox(_ database: MongoDatabase, _ ids: [Int64]) async throws {
        for _ in 0..<200 {
            if try await database.collection("inbox").count(["_id": ["$in": .array(ids.map { .int64($0) })]])
                == ids.count
            {
                return
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("updates \(ids) never reached the inbox")
    }
}
