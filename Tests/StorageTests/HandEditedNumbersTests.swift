import BSON
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

/// Numbers edited by hand in mongosh are read as the nearest sane value, never as something later
/// arithmetic traps on.
struct HandEditedNumbersTests {
    @Test func aNumberLongIntervalHugeStreaksAndANaNResponseTimeAreReadClamped() async throws {
        try await TestMongo.withDatabase { db in
            let repos = Repositories.mongo(database: db, logger: TestMongo.logger)
            let id = ObjectId()
            try await db.collection("monitors").insertOne([
                "_id": .objectId(id), "owner_id": 1, "kind": "http", "target": "http://127.0.0.1:9/",
                "interval": .int64(.max), "fail_streak": .int64(.max), "success_streak": .int64(.max),
                "transitions": .int64(-5),
                "last_check": ["at": .datetime(Date()), "ok": true, "rtt_ms": .double(.nan)],
            ])
            try await db.collection("users").insertOne([
                "_id": .int64(1), "phone": "+79990000001", "first_name": "Edited", "language": "en",
                "settings": ["check_interval": .int64(.max), "failures_before_alert": .int64(.max)],
            ])
            try await db.collection("checks").insertOne([
                "monitor_id": .objectId(id), "owner_id": 1, "at": .datetime(Date()), "ok": true,
                "rtt_ms": .double(.nan),
            ])

            let monitor = try #require(try await repos.monitors.get(id))
            #expect(monitor.intervalSeconds == StoredNumbers.maxIntervalSeconds)
            #expect(monitor.failStreak == StoredNumbers.maxCount && monitor.successStreak == StoredNumbers.maxCount)
            #expect(monitor.transitions == 0)
            #expect(monitor.lastCheck?.ok == true && monitor.lastCheck?.rttMs == nil)
            let user = try #require(try await repos.users.get(1))
            #expect(user.settings.checkIntervalSeconds == StoredNumbers.maxIntervalSeconds)
            #expect(user.settings.failuresBeforeAlert == StoredNumbers.maxCount)
            let history = try await repos.checks.recent(monitorID: id, limit: 10)
            #expect(history.count == 1 && history.first?.rttMs == nil)
        }
    }
}
