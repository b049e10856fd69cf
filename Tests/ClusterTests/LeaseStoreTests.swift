import BSON
import Cluster
import Foundation
import Mongo
import TestSupport
import Testing

/// Leases in a real mongod: one holder at a time, epochs raised on each change of holder.
struct LeaseStoreTests {
    @Test func aHeldLeaseIsRefusedToOthersAndRenewedForItsHolderWithTheSameEpoch() async throws {
        try await TestMongo.withDatabase { db in
            let store = LeaseStore(database: db)
            let now = Date()
            let first = try #require(try await store.acquire("poller", holder: "a", ttl: .seconds(10), now: now))
            #expect(first.epoch == 1)
            #expect(try await store.acquire("poller", holder: "b", ttl: .seconds(10), now: now) == nil)
            let renewed = try #require(
                try await store.acquire("poller", holder: "a", ttl: .seconds(10), now: now.addingTimeInterval(5)))
            #expect(renewed.epoch == 1)
            #expect(renewed.expiresAt > first.expiresAt)
        }
    }

    @Test func anExpiredLeaseGoesToTheNextTakerUnderAHigherEpoch() async throws {
        try await TestMongo.withDatabase { db in
            let store = LeaseStore(database: db)
            let now = Date()
            _ = try await store.acquire("outbox", holder: "a", ttl: .seconds(10), now: now)
            let later = now.addingTimeInterval(11)
            let taken = try #require(try await store.acquire("outbox", holder: "b", ttl: .seconds(10), now: later))
            #expect(taken.holder == "b")
            #expect(taken.epoch == 2)
            #expect(try await store.renew("outbox", holder: "a", until: later.addingTimeInterval(10)) == nil)
        }
    }

    @Test func aReleasedLeaseIsFreeAtOnce() async throws {
        try await TestMongo.withDatabase { db in
            let store = LeaseStore(database: db)
            let now = Date()
            _ = try await store.acquire(LeaseName.partition(3), holder: "a", ttl: .seconds(10), now: now)
            try await store.release([LeaseName.partition(3)], holder: "a", now: now)
            let taken = try await store.acquire(LeaseName.partition(3), holder: "b", ttl: .seconds(10), now: now)
            #expect(taken?.epoch == 2)
        }
    }

    @Test func manyRacingTakersWinOneLeaseOnce() async throws {
        try await TestMongo.withDatabase { db in
            let store = LeaseStore(database: db)
            let now = Date()
            let winners = try await withThrowingTaskGroup(of: Lease?.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await store.acquire("poller", holder: "h\(index)", ttl: .seconds(10), now: now)
                    }
                }
                var won: [Lease] = []
                for try await lease in group { if let lease { won.append(lease) } }
                return won
            }
            #expect(winners.count == 1)
        }
    }
}

/// Partitions: stable hashing and an even, complete split among live instances.
struct MonitorPartitionsTests {
    @Test func sharesAddUpToEveryPartitionAndDifferByAtMostOne() {
        let alive = ["c", "a", "b"]
        let shares = alive.map { MonitorPartitions.share(of: $0, alive: alive) }
        #expect(shares.reduce(0, +) == MonitorPartitions.count)
        #expect(shares.max()! - shares.min()! <= 1)
    }

    @Test func aDeadInstancesPartitionsGoToTheSurvivorsAndNothingElseMoves() {
        // Three instances held 22, 21, 21; "a" died: "b" and "c" keep theirs and split a's.
        let b = Set(stride(from: 1, to: 64, by: 3))
        let c = Set(stride(from: 2, to: 64, by: 3))
        let free = Set(stride(from: 0, to: 64, by: 3))
        let planB = MonitorPartitions.plan(holder: "b", held: b, free: free, share: 32)
        #expect(planB.keep == b && planB.release.isEmpty && planB.take.count == 32 - b.count)
        let planC = MonitorPartitions.plan(holder: "c", held: c, free: free, share: 32)
        #expect(planC.keep == c && planC.take.count == 32 - c.count)
    }

    @Test func aJoiningInstanceIsGivenUpOnlyTheSurplus() {
        let held = Set(0..<32)
        let plan = MonitorPartitions.plan(holder: "a", held: held, free: [], share: 21)
        #expect(plan.keep.count == 21 && plan.release.count == 11 && plan.take.isEmpty)
    }

    @Test func aMonitorsPartitionDependsOnlyOnItsId() {
        let id = ObjectId(hex: "65a1b2c3d4e5f60718293a4b")!
        #expect(MonitorPartitions.partition(of: id) == MonitorPartitions.partition(of: ObjectId(hex: id.hex)!))
        let ids = (0..<6400).map { _ in ObjectId() }
        var counts = [Int](repeating: 0, count: MonitorPartitions.count)
        for id in ids { counts[MonitorPartitions.partition(of: id)] += 1 }
        #expect(counts.min()! > 50, "\(counts)")
    }
}
