import Foundation
import Logging
import Mongo
import Synchronization
import TestSupport
import Testing

@testable import Cluster

/// Two coordinators on a real mongod: the survivor of a silent instance times its next round to
/// that instance's leases running out, takes every partition then, and wakes whoever waits for
/// the partitions to change.
struct TakeoverTests {
    let configuration = ClusterConfiguration(
        leaseTime: .seconds(3), renewInterval: .seconds(2), safetyMargin: .milliseconds(500))

    @Test func aSurvivorTakesASilentInstancesPartitionsAsItsLeasesRunOut() async throws {
        try await TestMongo.withDatabase { db in
            let a = ClusterMembership(holder: "a-1")
            let b = ClusterMembership(holder: "b-1")
            let first = ClusterCoordinator(
                database: db, name: "a", membership: a, configuration: configuration, logger: TestMongo.logger)
            let second = ClusterCoordinator(
                database: db, name: "b", membership: b, configuration: configuration, logger: TestMongo.logger)
            // Rounds until both hold half (a gives up what b must take, b takes it).
            for _ in 0..<4 {
                await first.tick(now: Date())
                await second.tick(now: Date())
            }
            #expect(a.partitions.count == 32 && b.partitions.count == 32)
            let lastOfA = Date()
            await first.tick(now: lastOfA)  // a's last renewal: it goes silent now
            let generation = b.partitionGeneration
            let returned = Flag()
            let woken = Task {
                await b.waitForPartitionChange(from: generation)
                returned.set()
            }

            // While a's leases and heartbeat are fresh nothing is due within a renew interval.
            #expect(await second.tick(now: Date()) == nil)
            try await Task.sleep(for: .seconds(1.5))
            let lapse = try #require(await second.tick(now: Date()), "a's leases run out within a renew interval")
            #expect(abs(lapse.timeIntervalSince(lastOfA.addingTimeInterval(3))) < 1)
            try await Task.sleep(for: .seconds(max(0, lapse.timeIntervalSinceNow)) + ClusterCoordinator.afterLapse)
            #expect(!returned.isSet, "nothing changed yet: the wait goes on")
            _ = await second.tick(now: Date())
            #expect(b.partitions.count == 64, "the survivor holds every partition right after the lapse")
            await woken.value  // returned: the partitions held changed
            #expect(b.partitionGeneration > generation)
        }
    }

    @Test func waitingForAPartitionChangeEndsWhenCancelled() async throws {
        let membership = ClusterMembership(holder: "c-1")
        let returned = Flag()
        let waiting = Task {
            await membership.waitForPartitionChange(from: membership.partitionGeneration)
            returned.set()
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!returned.isSet, "no change: it waits")
        waiting.cancel()
        await waiting.value
        #expect(membership.partitionGeneration == 0)
    }
}

/// Set once, read from another task.
private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
