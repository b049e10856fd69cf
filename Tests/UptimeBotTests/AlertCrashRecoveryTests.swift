import BSON
import FakeTelegramAPI
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

/// The real `uptime-bot` binary, killed with SIGKILL after a monitor's new status is in MongoDB
/// and before its alert reached the outbox, then started again on the same database.
struct AlertCrashRecoveryTests {
    let owner = FakeUser(id: 7101, firstName: "Owner", languageCode: "en")

    @Test func anAlertWhoseStateWasWrittenBeforeASigkillArrivesExactlyOnceAfterTheRestart() async throws {
        try await TestMongo.withDatabase { db in
            try await withFakeBotAPIServer { fake in
                try await SchemaMigrator.standard(database: db, logger: TestMongo.logger).migrate()
                try await MongoUserRepository(database: db, logger: TestMongo.logger).upsert(
                    UserRecord(id: owner.id, phone: "+79990003344", firstName: "Owner", language: "en"))
                // Nothing listens there: every check fails at once.
                let monitor = MonitorRecord(
                    ownerID: owner.id, kind: .http, target: "http://127.0.0.1:\(try ServerProcess.freeLoopbackPort())/",
                    name: "Crash target", intervalSeconds: 1)
                try await MongoMonitorRepository(database: db, logger: TestMongo.logger).create(monitor)
                // The outbox refuses every insert: the process is stopped after the state write and
                // before the alert could be enqueued, whatever the timing.
                try await db.runCommand(["collMod": "outbox", "validator": ["never_present": ["$exists": true]]])

                let settings = ["FAILURES_BEFORE_ALERT": "1", "CHECK_INTERVAL": "5"]
                let first = try BotProcess.start(fake: fake, database: db, settings: settings)
                try await waitUntilDown(db, monitor.id, process: first)
                kill(first.pid, SIGKILL)
                #expect(await first.waitForExit(timeout: .seconds(10)) != nil)
                #expect(try await db.collection("outbox").count() == 0)

                try await db.runCommand(["collMod": "outbox", "validator": [:]])
                let second = try BotProcess.start(fake: fake, database: db, settings: settings)
                do {
                    // The alert waits out the grouping window (30 s from the failure) before it is sent.
                    _ = try await fake.waitForMessages(chat: owner.chatID, count: 1, timeout: .seconds(60))
                } catch {
                    await second.terminate()
                    Issue.record("the log: \(await second.collectOutput(timeout: .seconds(1)).output)")
                    throw error
                }
                try await Task.sleep(for: .seconds(3))  // room for a duplicate to show up
                await second.terminate()
                let texts = fake.messages(in: owner.chatID).map(\.text)
                #expect(texts.count == 1, "\(texts)")
                #expect(texts.first?.contains("Crash target is down") == true, "\(texts)")
                let stored = try await db.collection("monitors").findOne(["_id": .objectId(monitor.id)])
                #expect(stored?["transitions"]?.intValue == 1)
                #expect(stored?["pending_alerts"] == .array([]), "moved alerts are cleared from the monitor")
            }
        }
    }

    private func waitUntilDown(_ database: MongoDatabase, _ id: ObjectId, process: ServerProcess) async throws {
        for _ in 0..<800 {
            if try await database.collection("monitors").findOne(["_id": .objectId(id)])?["status"] == "down" {
                return
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        kill(process.pid, SIGKILL)
        Issue.record("the monitor never went down: \(await process.collectOutput(timeout: .seconds(1)).output)")
        throw CancellationError()
    }
}
