import BSON
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

/// One bad document never blocks a list, and one owner's stuck messages never fill every batch
/// (issue #12, point 4).
struct UnreadableDocumentTests {
    @Test(arguments: Backend.allCases)
    func dueMessagesAreSharedFairlyAcrossChats(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            let old = Date().addingTimeInterval(-600)
            for index in 0..<100 {
                try await repos.outbox.enqueue(
                    OutboxMessage(
                        chatID: 1, text: "stuck \(index)", dedupeKey: "stuck:\(index)", notBefore: old,
                        createdAt: old.addingTimeInterval(Double(index))))
            }
            try await repos.outbox.enqueue(OutboxMessage(chatID: 2, text: "fresh", dedupeKey: "fresh"))
            let due = try await repos.outbox.due(now: Date(), limit: 100)
            #expect(due.contains { $0.chatID == 2 }, "the other owner is in the batch")
            #expect(due.filter { $0.chatID == 1 }.count <= OutboxFairness.perChat)
        }
    }

    @Test func anUnreadableOutboxDocumentIsSkippedAndMarkedFailedWhileTheOthersAreDelivered() async throws {
        try await TestMongo.withDatabase { db in
            try await SchemaMigrator.standard(database: db, logger: TestMongo.logger).migrate()
            let repos = Repositories.mongo(database: db, logger: TestMongo.logger)
            let broken = ObjectId()
            _ = try await db.collection("outbox").insertOne([
                "_id": .objectId(broken), "chat_id": .int64(1), "text": "hand-edited", "dedupe_key": "bad",
                "state": "pending", "attempts": "many", "not_before": .datetime(Date(timeIntervalSince1970: 0)),
                "created_at": .datetime(Date(timeIntervalSince1970: 0)),
            ])
            try await repos.outbox.enqueue(OutboxMessage(chatID: 2, text: "good", dedupeKey: "good"))
            let due = try await repos.outbox.due(now: Date(), limit: 100)
            #expect(due.map(\.text) == ["good"])
            let document = try await db.collection("outbox").findOne(["_id": .objectId(broken)])
            #expect(document?["state"]?.stringValue == "failed")
            #expect(document?["last_error"]?.stringValue?.contains("unreadable") == true)
        }
    }

    @Test func aHandEditedUnreachableZeroUserIsStillReadAndListed() async throws {
        try await TestMongo.withDatabase { db in
            try await SchemaMigrator.standard(database: db, logger: TestMongo.logger).migrate()
            let repos = Repositories.mongo(database: db, logger: TestMongo.logger)
            _ = try await db.collection("users").insertOne([
                "_id": .int64(5), "phone": "79990000005", "first_name": "Hand", "unreachable": 0,
                "language": 7,
            ])
            try await repos.users.upsert(UserRecord(id: 6, phone: "79990000006", firstName: "Other"))
            let user = try #require(try await repos.users.get(5))
            #expect(user.unreachable == false)
            #expect(user.language == "ru")
            #expect(Set(try await repos.users.list(ids: [5, 6]).map(\.id)) == [5, 6])
        }
    }
}
