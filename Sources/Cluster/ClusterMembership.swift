import BSON
import Foundation
import Synchronization

/// What this instance holds right now, as the coordinator last confirmed it in MongoDB. Read
/// without waiting by the poller, the outbox sender and the scheduler; a lease counts as held only
/// until a safety margin before it expires, so a holder cut off from MongoDB stops acting before
/// anyone else may take over.
public final class ClusterMembership: Sendable {
    struct State {
        var held: [String: Lease] = [:]
        var validUntil = Date.distantPast
        var partitions: [Int: Int64] = [:]
        var partitionGeneration = 0
        var lastRenewal: Date?
        var aliveInstances = 1
        /// Waiting in `waitForPartitionChange` (the scheduler's loop).
        var waiters: [CheckedContinuation<Void, Never>] = []

        /// A new generation: the waiters to wake.
        mutating func bumpGeneration() -> [CheckedContinuation<Void, Never>] {
            partitionGeneration += 1
            return takeWaiters()
        }

        mutating func takeWaiters() -> [CheckedContinuation<Void, Never>] {
            defer { waiters = [] }
            return waiters
        }
    }

    /// The name this instance takes leases under.
    public let holder: String
    private let state = Mutex(State())

    public init(holder: String) {
        self.holder = holder
    }

    /// The lease `name` while this instance holds it.
    public func lease(_ name: String, now: Date = Date()) -> Lease? {
        state.withLock { $0.validUntil > now ? $0.held[name] : nil }
    }

    /// A view of one lease for the one service that needs it.
    public func gate(_ name: String) -> LeaseGate { LeaseGate(membership: self, name: name) }

    /// Whether this instance checks the monitor `id` now.
    public func owns(_ id: ObjectId, now: Date = Date()) -> Bool { partitionEpoch(of: id, now: now) != nil }

    /// The epoch of the lease of `id`'s partition while held: written with the monitor's state, so
    /// a deposed holder's late write is refused.
    public func partitionEpoch(of id: ObjectId, now: Date = Date()) -> Int64? {
        let partition = MonitorPartitions.partition(of: id)
        return state.withLock { $0.validUntil > now ? $0.partitions[partition] : nil }
    }

    /// The partitions held, sorted.
    public var partitions: [Int] { state.withLock { $0.partitions.keys.sorted() } }

    /// Raised whenever the set of partitions held changes (the scheduler reloads then).
    public var partitionGeneration: Int { state.withLock { $0.partitionGeneration } }

    /// Returns once `partitionGeneration` is no longer `generation`, or when the task is cancelled.
    public func waitForPartitionChange(from generation: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    // Cancelled before this lock: the handler below has run (or finds nothing) already.
                    guard state.partitionGeneration == generation, !Task.isCancelled else { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            for waiter in state.withLock({ $0.takeWaiters() }) { waiter.resume() }
        }
    }

    /// When MongoDB last confirmed the leases held (nil before the first time).
    public var lastRenewal: Date? { state.withLock { $0.lastRenewal } }

    /// Instances alive at the last look, this one included.
    public var aliveInstances: Int { state.withLock { $0.aliveInstances } }

    /// Every lease held, by name (for /metrics and logs).
    public func heldLeases(now: Date = Date()) -> [String: Lease] {
        state.withLock { $0.validUntil > now ? $0.held : [:] }
    }

    // MARK: Updated by the coordinator

    func confirm(_ held: [String: Lease], validUntil: Date, at now: Date, aliveInstances: Int) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.held = held
            state.validUntil = validUntil
            state.lastRenewal = now
            state.aliveInstances = aliveInstances
            var partitions: [Int: Int64] = [:]
            for (name, lease) in held {
                if let index = LeaseName.partitionIndex(name) { partitions[index] = lease.epoch }
            }
            let moved = Set(partitions.keys) != Set(state.partitions.keys)
            state.partitions = partitions
            return moved ? state.bumpGeneration() : []
        }
        for waiter in woken { waiter.resume() }
    }

    /// Stops acting on leases about to be released (before they are, so no one acts on them twice).
    func drop(_ names: Set<String>) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            for name in names { state.held[name] = nil }
            let before = state.partitions.count
            state.partitions = state.partitions.filter { !names.contains(LeaseName.partition($0.key)) }
            return state.partitions.count != before ? state.bumpGeneration() : []
        }
        for waiter in woken { waiter.resume() }
    }

    /// Lapsed (MongoDB unreachable for a lease's length): nothing is held any more.
    func lapse(now: Date) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.validUntil <= now, !state.held.isEmpty else { return [] }
            state.held = [:]
            let moved = !state.partitions.isEmpty
            state.partitions = [:]
            return moved ? state.bumpGeneration() : []
        }
        for waiter in woken { waiter.resume() }
    }
}

/// One lease as one service sees it: held or not, with its epoch.
public struct LeaseGate: Sendable {
    let membership: ClusterMembership
    public let name: String

    public var holder: String { membership.holder }
    public var lease: Lease? { membership.lease(name) }
    public var isHeld: Bool { lease != nil }

    /// Returns once the lease is held; throws when cancelled.
    public func waitUntilHeld(poll: Duration = .milliseconds(250)) async throws {
        while !isHeld { try await Task.sleep(for: poll) }
    }

    /// Returns once the lease is no longer held; throws when cancelled.
    public func waitUntilLost(poll: Duration = .milliseconds(250)) async throws {
        while isHeld { try await Task.sleep(for: poll) }
    }
}
