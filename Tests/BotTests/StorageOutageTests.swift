import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

struct StorageOutageTests {
    let user = FakeUser(id: 6001, firstName: "Outage", languageCode: "en")

    @Test func whileMongoDBIsDownUsersGetAClearMessageAndTheDialogResumesAfterwards() async throws {
        let mongod = try MongodProcess()
        try await mongod.start()
        let client = try MongoClient(
            uri: mongod.uri, threads: 4, timeouts: MongoTimeouts(serverSelection: .milliseconds(500)))
        let database = client.database("outage")
        try await SchemaMigrator.standard(database: database, logger: TestMongo.logger).migrate()
        try await withFakeBotAPIServer { fake in
            let bot = try BotHarness(fake: fake, database: database)
            bot.start()
            try await bot.signIn(user)
            try await bot.say(user, "/add")
            try await bot.say(user, "10.3.3.3")
            #expect(try await bot.fsmState(user) == "AddMonitor:name")

            await mongod.stop()
            let replies = try await bot.say(user, "core switch")
            #expect(
                replies.last?.text.contains("Something went wrong; nothing was lost") == true, "\(replies.map(\.text))")

            try await mongod.start()
            // Once MongoDB is back the user is still on the name step, and finishing it works.
            var state: String?
            for _ in 0..<40 {
                state = try? await bot.fsmState(user)
                if state != nil { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(state == "AddMonitor:name")
            try await bot.say(user, "core switch")
            #expect(try await bot.repositories.monitors.list(ownerID: user.id).map(\.name) == ["core switch"])
            await bot.stop()
        }
        await client.shutdown()
    }
}
