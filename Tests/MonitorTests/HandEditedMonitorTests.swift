import BSON
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

@testable import Monitor

/// A document edited by hand in mongosh is scheduled and checked like any other, never a trap
/// (which under `restart: unless-stopped` would be a crash loop).
struct HandEditedMonitorTests {
    @Test func aMonitorWithANumberLongIntervalAndStreaksAtInt64MaxIsScheduledAndCheckedWithoutATrap()
        async throws
    {
        try await TestMongo.withDatabase { db in
            let repos = Repositories.mongo(database: db, logger: TestMongo.logger)
            let id = ObjectId()
            try await db.collection("monitors").insertOne([
                "_id": .objectId(id), "owner_id": 1, "kind": "http", "target": "http://127.0.0.1:9/",
                "interval": .int64(.max), "status": "down", "fail_streak": .int64(.max),
                "success_streak": .int64(.max), "transitions": .int64(.max),
            ])
            let records = try await repos.monitors.listEnabled(after: nil, limit: 100)
            #expect(records.map(\.id) == [id])

            var plan = MonitorPlan()
            let now = Date()
            _ = plan.refresh(
                monitors: records, owners: [1: OwnerProfile(user: nil, configuration: MonitorConfiguration())],
                defaultInterval: 60, now: now)
            let next = try #require(plan.nextDue)
            #expect(next > now && next.timeIntervalSince(now) <= Double(StoredNumbers.maxIntervalSeconds))

            let record = try #require(records.first)
            let failed = AlertStateMachine.apply(
                ok: false, at: now, to: AlertState(record), thresholds: AlertThresholds())
            #expect(failed.state.failStreak >= record.failStreak && failed.transition == .none)
            let recovered = AlertStateMachine.apply(
                ok: true, at: now, to: AlertState(record), thresholds: AlertThresholds())
            #expect(recovered.state.status == .up)
            #expect(record.transitions.saturatingIncrement > record.transitions)
        }
    }
}
