import Foundation
import Logging
import Mongo
import ServiceLifecycle

/// Keeps this instance's place in the cluster: a heartbeat in `instances`, the poller and outbox
/// leases when free, and an equal share of the monitor partitions among the live instances (kept
/// where they are when possible: only the partitions that must move do).
/// Partitions it should give up (an instance joined) are dropped locally first and released after
/// the scheduler let go of them, so no monitor is checked by two instances at once.
public actor ClusterCoordinator: Service {
    public let membership: ClusterMembership
    private let name: String
    private let leases: LeaseStore
    private let registry: InstanceRegistry
    private let configuration: ClusterConfiguration
    private let logger: Logger
    private let metrics = ClusterMetrics()
    private let startedAt = Date()
    /// Awaited after the partitions held changed and before any is released.
    private let partitionsChanged: @Sendable () async -> Void
    private var failing = false

    public init(
        database: MongoDatabase, name: String, membership: ClusterMembership,
        configuration: ClusterConfiguration = ClusterConfiguration(), logger: Logger,
        partitionsChanged: @escaping @Sendable () async -> Void = {}
    ) {
        self.membership = membership
        self.name = name
        self.leases = LeaseStore(database: database)
        self.registry = InstanceRegistry(database: database)
        self.configuration = configuration
        self.logger = logger
        self.partitionsChanged = partitionsChanged
    }

    public func run() async throws {
        try? await registry.prepare()
        logger.info("joining the cluster", metadata: ["instance": "\(membership.holder)"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let lapse = await tick(now: Date())
            // Another instance stopped renewing (it died or was cut off): the next round comes right
            // after its lease and heartbeat run out, not up to a renew interval later.
            let pause =
                lapse.map {
                    min(configuration.renewInterval, .seconds(max(0, $0.timeIntervalSinceNow)) + Self.afterLapse)
                }
                ?? configuration.renewInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
        await leave()
    }

    /// How long after another's lease or heartbeat runs out the round that takes over comes.
    static let afterLapse = Duration.milliseconds(50)

    /// One round: heartbeat, give up what belongs to others now, renew, take what is free. Returns
    /// when the first lease or heartbeat of another instance runs out within a renew interval (one
    /// the holder renews is always further off), nil when none does.
    @discardableResult
    func tick(now: Date) async -> Date? {
        var lapse: Date?
        let ttl = configuration.leaseTime
        do {
            let before = Set(membership.heldLeases(now: now).keys)
            try await registry.heartbeat(
                id: membership.holder, name: name, host: ProcessInfo.processInfo.hostName, startedAt: startedAt,
                now: now, ttl: ttl, partitions: membership.partitions)
            let instances = try await registry.all().filter { $0.isAlive(at: now) }
            let alive = instances.map(\.id)
            let stored = Dictionary(try await leases.all().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let horizon = now.addingTimeInterval(configuration.renewInterval.seconds)
            lapse =
                (instances.filter { $0.id != membership.holder }.map(\.expiresAt)
                + stored.values.filter { $0.holder != membership.holder && $0.expiresAt > now }.map(\.expiresAt))
                .filter { $0 < horizon }.min()
            let free = Set(
                (0..<MonitorPartitions.count).filter { index in
                    stored[LeaseName.partition(index)].map { $0.expiresAt <= now || $0.holder == membership.holder }
                        ?? true
                })
            let share = MonitorPartitions.share(of: membership.holder, alive: alive)
            let plan = MonitorPartitions.plan(
                holder: membership.holder, held: Set(before.compactMap(LeaseName.partitionIndex)), free: free,
                share: share)
            let surplus = Set(plan.release.map(LeaseName.partition))
            if !surplus.isEmpty {
                membership.drop(surplus)
                await partitionsChanged()
                try await leases.release(Array(surplus), holder: membership.holder, now: now)
            }
            let until = now.addingTimeInterval(ttl.seconds)
            var held = try await leases.renewAll(
                Array(before.subtracting(surplus)), holder: membership.holder, until: until)
            var wanted = plan.take.map(LeaseName.partition)
            for single in [LeaseName.poller, LeaseName.outbox] where held[single] == nil {
                if stored[single].map({ $0.expiresAt <= now || $0.holder == membership.holder }) ?? true {
                    wanted.insert(single, at: 0)
                }
            }
            // All at once: taking over a dead instance's share is one round trip, not one per partition.
            let (store, holder) = (leases, membership.holder)
            try await withThrowingTaskGroup(of: (String, Lease?).self) { group in
                for lease in wanted {
                    group.addTask { (lease, try await store.acquire(lease, holder: holder, ttl: ttl, now: now)) }
                }
                for try await (name, taken) in group where taken != nil { held[name] = taken }
            }
            // Lost a race for a free partition while short of the share (two survivors taking a dead
            // instance's partitions): look again at once rather than a renew interval later.
            if plan.take.contains(where: { held[LeaseName.partition($0)] == nil }),
                held.keys.filter({ LeaseName.partitionIndex($0) != nil }).count < share
            {
                lapse = now
            }
            let changed = Set(held.keys) != before.subtracting(surplus)
            membership.confirm(
                held, validUntil: until.addingTimeInterval(-configuration.safetyMargin.seconds), at: now,
                aliveInstances: max(1, alive.count))
            logChanges(before: before, after: Set(held.keys))
            if changed { await partitionsChanged() }
            if failing { logger.notice("cluster leases renewed again") }
            failing = false
        } catch {
            if !failing {
                logger.error(
                    "cannot renew cluster leases; letting them go if this lasts", metadata: ["error": "\(error)"])
            }
            failing = true
            let hadPartitions = !membership.partitions.isEmpty
            membership.lapse(now: Date())
            if hadPartitions, membership.partitions.isEmpty { await partitionsChanged() }
        }
        metrics.record(membership)
        return lapse
    }

    private func logChanges(before: Set<String>, after: Set<String>) {
        for single in [LeaseName.poller, LeaseName.outbox] where before.contains(single) != after.contains(single) {
            logger.notice(
                after.contains(single) ? "took the \(single) lease" : "lost the \(single) lease",
                metadata: ["epoch": "\(membership.lease(single)?.epoch ?? 0)"])
        }
        let partitionsBefore = before.filter { LeaseName.partitionIndex($0) != nil }.count
        let partitionsAfter = after.filter { LeaseName.partitionIndex($0) != nil }.count
        if partitionsBefore != partitionsAfter {
            logger.info("monitor partitions held", metadata: ["partitions": "\(partitionsAfter)"])
        }
    }

    /// A clean stop gives everything up at once: the others take over at their next round.
    private func leave() async {
        let names = Array(membership.heldLeases().keys)
        membership.drop(Set(names))
        let now = Date()
        try? await leases.release(names, holder: membership.holder, now: now)
        try? await registry.leave(id: membership.holder, now: now)
        logger.info("left the cluster", metadata: ["released": "\(names.count)"])
    }
}
