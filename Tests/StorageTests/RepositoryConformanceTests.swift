import BSON
import Foundation
import Mongo
import Storage
import TelegramAPI
import TestSupport
import Testing

/// Each repository behaves the same in memory and on a real mongod.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case memory, mongo
    var testDescription: String { rawValue }

    func withRepositories(_ body: (Repositories) async throws -> Void) async throws {
        switch self {
        case .memory: try await body(.inMemory())
        case .mongo:
            try await TestMongo.withDatabase { db in
                try await SchemaMigrator.standard(database: db, logger: TestMongo.logger).migrate()
                try await body(.mongo(database: db, logger: TestMongo.logger))
            }
        }
    }
}

struct RepositoryConformanceTests {
    @Test(arguments: Backend.allCases)
    func duplicateTargetOfOneOwnerIsRefusedButOtherOwnersMayWatchIt(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            try await repos.monitors.create(MonitorRecord(ownerID: 1, kind: .icmp, target: "10.0.0.1", name: "router"))
            await #expect(throws: MonitorRepositoryError.duplicate) {
                try await repos.monitors.create(
                    MonitorRecord(ownerID: 1, kind: .icmp, target: "10.0.0.1", name: "again"))
            }
            try await repos.monitors.create(MonitorRecord(ownerID: 2, kind: .icmp, target: "10.0.0.1", name: "theirs"))
            #expect(try await repos.monitors.count(ownerID: 1) == 1)
            #expect(try await repos.monitors.count(ownerID: 2) == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func onlyTheOwnerCanEditOrDelete(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            let monitor = MonitorRecord(ownerID: 1, kind: .http, target: "https://example.org", name: "site")
            try await repos.monitors.create(monitor)
            #expect(try await repos.monitors.update(monitor.id, ownerID: 2, MonitorChanges(name: "stolen")) == nil)
            #expect(try await repos.monitors.delete(monitor.id, ownerID: 2) == false)
            #expect(try await repos.monitors.get(monitor.id)?.name == "site")
            let renamed = try await repos.monitors.update(
                monitor.id, ownerID: 1, MonitorChanges(name: "renamed", enabled: false))
            #expect(renamed?.name == "renamed")
            #expect(renamed?.enabled == false)
            #expect(try await repos.monitors.listEnabled(after: nil, limit: 100).isEmpty)
            #expect(try await repos.monitors.delete(monitor.id, ownerID: 1))
            #expect(try await repos.monitors.get(monitor.id) == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func aPageOfEnabledMonitorsCanBeReadForAShareOfTheIds(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            var created: [MonitorRecord] = []
            for index in 1...7 {
                var monitor = MonitorRecord(ownerID: 1, kind: .icmp, target: "10.0.1.\(index)", name: "m\(index)")
                monitor.enabled = index != 4
                try await repos.monitors.create(monitor)
                created.append(monitor)
            }
            let kept = Set([created[1].id, created[3].id, created[4].id, created[6].id])
            // Pages of three ids scanned: the disabled one is neither scanned nor kept.
            let first = try await repos.monitors.listEnabled(after: nil, limit: 3, keeping: { kept.contains($0) })
            #expect(first.monitors.map(\.name) == ["m2"])
            #expect(first.last == created[2].id)
            let second = try await repos.monitors.listEnabled(
                after: first.last, limit: 3, keeping: { kept.contains($0) })
            #expect(second.monitors.map(\.name) == ["m5", "m7"])
            #expect(second.last == created[6].id)
            let end = try await repos.monitors.listEnabled(after: second.last, limit: 3, keeping: { _ in true })
            #expect(end.monitors.isEmpty && end.last == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func changingTheTargetResetsAlertStateAndRespectsUniqueness(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            let a = MonitorRecord(ownerID: 1, kind: .icmp, target: "10.0.0.1", name: "a")
            let b = MonitorRecord(ownerID: 1, kind: .icmp, target: "10.0.0.2", name: "b")
            try await repos.monitors.create(a)
            try await repos.monitors.create(b)
            let check = LastCheck(at: Date(), ok: false, error: "timeout")
            try await repos.monitors.recordChecks([
                a.id: MonitorCheckState(
                    status: .down, statusSince: Date(), failStreak: 3, successStreak: 0, lastCheck: check)
            ])
            #expect(try await repos.monitors.get(a.id)?.status == .down)
            await #expect(throws: MonitorRepositoryError.duplicate) {
                _ = try await repos.monitors.update(a.id, ownerID: 1, MonitorChanges(target: "10.0.0.2"))
            }
            let moved = try await repos.monitors.update(a.id, ownerID: 1, MonitorChanges(target: "10.0.0.3"))
            #expect(moved?.status == .unknown)
            #expect(moved?.failStreak == 0)
            #expect(moved?.lastCheck == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func listIsOldestFirstAndRecordCheckPersistsState(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            let base = Date(timeIntervalSince1970: 1_700_000_000)
            for i in 0..<5 {
                try await repos.monitors.create(
                    MonitorRecord(
                        ownerID: 9, kind: .icmp, target: "127.0.0.\(i + 1)", name: "m\(i)",
                        createdAt: base.addingTimeInterval(Double(i))))
            }
            let list = try await repos.monitors.list(ownerID: 9)
            #expect(list.map(\.name) == ["m0", "m1", "m2", "m3", "m4"])
            let check = LastCheck(at: base, ok: true, rttMs: 0.25)
            try await repos.monitors.recordChecks([
                list[0].id: MonitorCheckState(
                    status: .up, statusSince: base, failStreak: 0, successStreak: 2, lastCheck: check)
            ])
            let after = try await repos.monitors.get(list[0].id)
            #expect(after?.status == .up)
            #expect(after?.successStreak == 2)
            #expect(after?.lastCheck?.rttMs == 0.25)
            #expect(after?.statusSince == base)
        }
    }

    @Test(arguments: Backend.allCases)
    func recordChecksWritesEveryMonitorAndSkipsDeletedOnes(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            let at = Date(timeIntervalSince1970: 1_700_000_000)
            var monitors: [MonitorRecord] = []
            for i in 0..<30 {
                let monitor = MonitorRecord(ownerID: 11, kind: .icmp, target: "127.0.1.\(i + 1)", name: "m\(i)")
                try await repos.monitors.create(monitor)
                monitors.append(monitor)
            }
            #expect(try await repos.monitors.delete(monitors[7].id, ownerID: 11))
            var states: [ObjectId: MonitorCheckState] = [:]
            for (i, monitor) in monitors.enumerated() {
                states[monitor.id] = MonitorCheckState(
                    status: i.isMultiple(of: 2) ? .down : .up, statusSince: at, failStreak: i, successStreak: 0,
                    lastCheck: LastCheck(at: at, ok: !i.isMultiple(of: 2), rttMs: Double(i)))
            }
            try await repos.monitors.recordChecks(states)
            let saved = try await repos.monitors.list(ownerID: 11)
            #expect(saved.count == 29)
            for monitor in saved {
                let index = try #require(monitors.firstIndex { $0.id == monitor.id })
                #expect(monitor.failStreak == index)
                #expect(monitor.status == (index.isMultiple(of: 2) ? .down : .up))
                #expect(monitor.lastCheck?.rttMs == Double(index))
            }
            #expect(try await repos.monitors.get(monitors[7].id) == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func signingInAgainKeepsSettings(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            try await repos.users.upsert(UserRecord(id: 5, phone: "79990001122", firstName: "Ann"))
            try await repos.users.updateSettings(5, UserSettings(failuresBeforeAlert: 5))
            try await repos.users.setUnreachable(5, true)
            try await repos.users.upsert(UserRecord(id: 5, phone: "79990001122", firstName: "Anna", language: "en"))
            let user = try await repos.users.get(5)
            #expect(user?.firstName == "Anna")
            #expect(user?.language == "en")
            #expect(user?.settings.failuresBeforeAlert == 5)
            #expect(user?.unreachable == false)
            #expect(user?.phone == "79990001122")
        }
    }

    @Test(arguments: Backend.allCases)
    func outboxIsIdempotentAndHandsOutDueMessagesOldestFirst(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            let now = Date()
            #expect(
                try await repos.outbox.enqueue(OutboxMessage(chatID: 1, text: "a", dedupeKey: "k1", createdAt: now)))
            #expect(try await repos.outbox.enqueue(OutboxMessage(chatID: 1, text: "a again", dedupeKey: "k1")) == false)
            try await repos.outbox.enqueue(
                OutboxMessage(chatID: 1, text: "b", dedupeKey: "k2", createdAt: now.addingTimeInterval(1)))
            try await repos.outbox.enqueue(
                OutboxMessage(chatID: 1, text: "later", dedupeKey: "k3", notBefore: now.addingTimeInterval(60)))
            let due = try await repos.outbox.due(now: now.addingTimeInterval(2), limit: 10)
            #expect(due.map(\.text) == ["a", "b"])
            try await repos.outbox.markSent(due[0].id, at: now)
            try await repos.outbox.markFailed(
                due[1].id, error: "429", retryAt: now.addingTimeInterval(30), final: false)
            #expect(try await repos.outbox.due(now: now.addingTimeInterval(2), limit: 10).isEmpty)
            #expect(try await repos.outbox.pendingCount() == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func historyGivesRecentChecksAndUptime(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            let id = ObjectId()
            let now = Date()
            var checks: [CheckRecord] = []
            for i in 0..<10 {
                let at = now.addingTimeInterval(Double(-i * 60))
                checks.append(CheckRecord(monitorID: id, ownerID: 1, at: at, ok: i % 5 != 0, rttMs: Double(i)))
            }
            try await repos.checks.append(checks)
            #expect(try await repos.checks.recent(monitorID: id, limit: 3).map(\.rttMs) == [0, 1, 2])
            let uptime = try await repos.checks.uptime(monitorID: id, since: now.addingTimeInterval(-3600))
            #expect(uptime == UptimeSummary(total: 10, ok: 8))
            // Windows of 5.5 min and 1 h in one call: checks 0…5 min ago (those at 0 and 5 min failed), and all ten.
            let windows = try await repos.checks.uptime(
                monitorID: id, since: [now.addingTimeInterval(-330), now.addingTimeInterval(-3600)])
            #expect(windows == [UptimeSummary(total: 6, ok: 4), UptimeSummary(total: 10, ok: 8)])
        }
    }
}

struct UpdateInboxConformanceTests {
    @Test(arguments: Backend.allCases)
    func unhandledUpdatesAreKeptInOrderUntilMarked(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            let start = Message(messageID: 1, chat: Chat(id: 5, type: .private), date: 1_800_000_000, text: "/start")
            let updates = [Update(updateID: 12), Update(updateID: 10, message: start), Update(updateID: 11)]
            #expect(try await repos.inbox.record(updates).isEmpty)
            try await repos.inbox.markHandled(11)
            let (unhandled, highest) = try await repos.inbox.unhandled()
            #expect(unhandled == [InboxEntry(updates[1]), InboxEntry(updates[0])])
            #expect(highest == 12)
            // Delivered again (a crash before Telegram heard it was taken): known, not written twice.
            #expect(try await repos.inbox.record([updates[1], Update(updateID: 13)]) == [10])
            #expect(try await repos.inbox.unhandled().entries.map(\.id) == [10, 12, 13])
        }
    }

    @Test(arguments: Backend.allCases)
    func aMarkThatOvertakesItsRecordStands(_ backend: Backend) async throws {
        try await backend.withRepositories { repos in
            try await repos.inbox.markHandled(20)
            #expect(
                try await repos.inbox.record([Update(updateID: 20), Update(updateID: 21)]) == [20]
            )
            #expect(try await repos.inbox.unhandled().entries.map(\.id) == [21])
        }
    }

    @Test func onMongoDBAHandledUpdateDeliveredAgainIsRecognisedAndEntriesExpire() async throws {
        try await Backend.mongo.withRepositories { repos in
            #expect(try await repos.inbox.record([Update(updateID: 30)]).isEmpty)
            try await repos.inbox.markHandled(30)
            #expect(try await repos.inbox.record([Update(updateID: 30)]) == [30])
            #expect(try await repos.inbox.unhandled().entries.isEmpty)
            #expect(try await repos.inbox.unhandled().highestID == 30)
        }
        try await TestMongo.withDatabase { db in
            try await SchemaMigrator.standard(database: db, logger: TestMongo.logger).migrate()
            let indexes = try await db.runCommand(["listIndexes": "inbox"])[path: "cursor.firstBatch"]?.arrayValue ?? []
            #expect(
                indexes.contains {
                    $0.documentValue?["name"] == "received_at_ttl"
                        && $0.documentValue?["expireAfterSeconds"]?.intValue == 172_800
                })
            #expect(
                indexes.contains {
                    $0.documentValue?["name"] == "unhandled"
                        && $0.documentValue?[path: "partialFilterExpression.handled"] == false
                })
        }
    }
}

struct MongoSchemaTests {
    @Test func migrationsRecordTheVersionAndAreIdempotent() async throws {
        try await TestMongo.withDatabase { db in
            let migrator = SchemaMigrator.standard(database: db, logger: TestMongo.logger)
            #expect(try await migrator.migrate() == 5)
            #expect(try await migrator.migrate() == 5)
            let meta = try await db.collection("meta").findOne(["_id": "schema_version"])
            #expect(meta?["version"]?.intValue == 5)
            let indexes =
                try await db.runCommand(["listIndexes": "monitors"])[path: "cursor.firstBatch"]?.arrayValue ?? []
            #expect(
                indexes.contains {
                    $0.documentValue?["name"] == "owner_kind_target" && $0.documentValue?["unique"] == true
                })
        }
    }

    @Test func changingRetentionAdjustsTheTTLIndexInPlace() async throws {
        try await TestMongo.withDatabase { db in
            try await SchemaMigrator.standard(database: db, checkRetention: .seconds(86_400), logger: TestMongo.logger)
                .migrate()
            try await SchemaMigrator.standard(
                database: db, checkRetention: .seconds(7 * 86_400), logger: TestMongo.logger
            ).migrate()
            let indexes =
                try await db.runCommand(["listIndexes": "checks"])[path: "cursor.firstBatch"]?.arrayValue ?? []
            let ttl = indexes.compactMap(\.documentValue).first { $0["name"] == "at_ttl" }
            #expect(ttl?["expireAfterSeconds"]?.intValue == 7 * 86_400)
        }
    }

    @Test func documentsAreRealBSONFieldsReadableInMongosh() async throws {
        try await TestMongo.withDatabase { db in
            let repos = Repositories.mongo(database: db, logger: TestMongo.logger)
            let monitor = MonitorRecord(ownerID: 42, kind: .http, target: "https://example.org", name: "site")
            try await repos.monitors.create(monitor)
            let doc = try #require(try await db.collection("monitors").findOne(["owner_id": 42]))
            #expect(doc["_id"]?.objectIdValue == monitor.id)
            #expect(doc["owner_id"] == .int64(42))
            #expect(doc["created_at"]?.dateValue != nil)
            #expect(doc["status"] == "unknown")
        }
    }

    @Test func aHandEditedBrokenMonitorIsSkippedNotFatal() async throws {
        try await TestMongo.withDatabase { db in
            let repos = Repositories.mongo(database: db, logger: TestMongo.logger)
            try await db.collection("monitors").insertOne([
                "_id": .objectId(ObjectId()), "owner_id": 1, "kind": "carrier-pigeon", "target": "x",
            ])
            try await repos.monitors.create(MonitorRecord(ownerID: 1, kind: .icmp, target: "127.0.0.1", name: "ok"))
            #expect(try await repos.monitors.list(ownerID: 1).map(\.name) == ["ok"])
        }
    }
}

struct AccessMigrationTests {
    @Test func usersSignedInBeforeAccessExistedBecomeActivePlainUsers() async throws {
        try await TestMongo.withDatabase { db in
            let old = SchemaMigrator(
                database: db,
                migrations: SchemaMigrator.standard(database: db, logger: TestMongo.logger).migrations.filter {
                    $0.version <= 2
                }, logger: TestMongo.logger)
            #expect(try await old.migrate() == 2)
            try await db.collection("users").insertOne([
                "_id": .int64(77), "phone": "79990000077", "first_name": "Old", "language": "ru",
            ])
            #expect(try await SchemaMigrator.standard(database: db, logger: TestMongo.logger).migrate() == 5)
            let doc = try #require(try await db.collection("users").findOne(["_id": .int64(77)]))
            #expect(doc["access"] == "active")
            #expect(doc["role"] == "user")
            #expect(doc["granted_by"] == "migrated")
            let user = try await MongoUserRepository(database: db, logger: TestMongo.logger).get(77)
            #expect(user?.access == .active)
        }
    }

    @Test func auditEntriesExpireAfterTheConfiguredRetention() async throws {
        try await TestMongo.withDatabase { db in
            try await SchemaMigrator.standard(
                database: db, auditRetention: .seconds(3 * 86_400), logger: TestMongo.logger
            ).migrate()
            try await SchemaMigrator.standard(
                database: db, auditRetention: .seconds(9 * 86_400), logger: TestMongo.logger
            ).migrate()
            let indexes =
                try await db.runCommand(["listIndexes": "audit"])[path: "cursor.firstBatch"]?.arrayValue ?? []
            let ttl = indexes.compactMap(\.documentValue).first { $0["name"] == "at_ttl" }
            #expect(ttl?["expireAfterSeconds"]?.intValue == 9 * 86_400)
        }
    }

    @Test func aMistypedAccessInMongoshReadsAsNoAccess() async throws {
        try await TestMongo.withDatabase { db in
            try await db.collection("users").insertOne([
                "_id": .int64(78), "phone": "1", "first_name": "X", "access": "actve", "role": "superuser",
            ])
            let user = try await MongoUserRepository(database: db, logger: TestMongo.logger).get(78)
            #expect(user?.access == .denied)
            #expect(user?.role == .user)
        }
    }
}
