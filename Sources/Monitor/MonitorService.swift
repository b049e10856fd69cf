import Checks
import Cluster
import Foundation
import ICMP
import Logging
import ServiceLifecycle
import Storage

/// The monitor engine as a service: checks every enabled monitor of every owner on its own
/// schedule, independent of any conversation, and writes what changed (state, history, alerts in
/// the outbox; `OutboxSender` delivers them).
///
/// Each monitor is checked every `interval ?? owner's interval ?? CHECK_INTERVAL` seconds at a
/// phase of its own. Due ICMP monitors are pinged together in one paced call; each site is checked
/// on its own, at most `checkConcurrency` at once, each bounded by its timeout — a hanging site
/// holds its slot and nothing else. Storage outages are ridden out in memory.
public struct MonitorService: Service {
    let scheduler: MonitorScheduler
    let writer: CheckResultWriter
    let checker: TargetChecker
    let ownerSlots: OwnerSlots
    let configuration: MonitorConfiguration
    let policySweep: PolicySweep?
    let wallClock: any WallClock
    let changes: MonitorChangeFeed?
    let membership: ClusterMembership?
    /// In a cluster: where edits made on other instances are looked for.
    let remoteEdits: (any MonitorRepository)?
    let logger: Logger

    /// - Parameters:
    ///   - parts: the engine, assembled by `MonitorParts.assemble` (with its configuration).
    ///   - changes: chat edits, pauses and deletes, applied as they come (else at the next reload).
    ///   - membership: in a cluster, the monitor partitions this instance holds: only their monitors
    ///     are checked, and the monitors are reloaded whenever that set changes.
    public init(
        parts: MonitorParts, wallClock: any WallClock = SystemWallClock(), changes: MonitorChangeFeed? = nil,
        logger: Logger
    ) {
        self.scheduler = parts.scheduler
        self.writer = parts.writer
        self.checker = parts.checker
        self.ownerSlots = parts.ownerSlots
        self.policySweep = parts.policySweep
        self.configuration = parts.configuration
        self.membership = parts.membership
        self.remoteEdits = parts.membership == nil ? nil : parts.monitors
        self.wallClock = wallClock
        self.changes = changes
        self.logger = logger
    }

    /// Runs until cancelled or a graceful shutdown; then writes what is buffered and returns.
    public func run() async throws {
        logger.info(
            "monitor service started",
            metadata: [
                "check_interval_s": "\(configuration.checkInterval)",
                "failures_before_alert": "\(configuration.failuresBeforeAlert)",
                "canaries": "\(configuration.canaryTargets.count)",
            ])
        // Before the first refresh, so a monitor the policy now refuses is never checked.
        await policySweep?.run()
        let (scheduler, writer, checker, configuration, ownerSlots) = (
            self.scheduler, self.writer, self.checker, self.configuration, self.ownerSlots
        )
        let clock = SchedulingClock(wall: wallClock)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await Self.flushLoop(writer, every: configuration.flushInterval) }
                if let changes = self.changes {
                    group.addTask {
                        for await id in changes.changes { await scheduler.reload(id, now: clock.now()) }
                    }
                }
                if let remoteEdits = self.remoteEdits {
                    group.addTask {
                        await RemoteEdits.watch(remoteEdits, every: .seconds(2)) { id in
                            await scheduler.reload(id, now: clock.now())
                        }
                    }
                }
                await Self.scheduleLoop(
                    scheduler, checker: checker, ownerSlots: ownerSlots, configuration: configuration, clock: clock,
                    membership: membership, group: &group)
                group.cancelAll()
            }
        }
        // The final write runs in a task of its own: this one is cancelled, the write must not be.
        let flushed = await Task { await Self.finalFlush(writer) }.value
        let backlog = await writer.backlog
        if flushed {
            logger.info("monitor service stopped")
        } else {
            // Nothing announced is lost: a state not written is found again by the next start's
            // checks (storage still has the old one), and stored alerts are moved at the next start.
            logger.error(
                "monitor service stopped without writing everything: storage refused the final writes",
                metadata: [
                    "unwritten_states": "\(backlog.states)", "unwritten_checks": "\(backlog.history)",
                    "unwritten_notifications": "\(backlog.messages)",
                ])
        }
    }

    /// The last write, tried a few times over a few seconds (the stop grace period is longer).
    private static func finalFlush(_ writer: CheckResultWriter) async -> Bool {
        for attempt in 0..<4 {
            if await writer.flush() { return true }
            try? await Task.sleep(for: .milliseconds(500 << attempt))
        }
        return await writer.flush()
    }

    /// Hands due checks to tasks of their own and sleeps until the next is due.
    /// Slots and sleeps follow `clock`'s monotonic timeline; results are stamped with its wall time.
    private static func scheduleLoop(
        _ scheduler: MonitorScheduler, checker: TargetChecker, ownerSlots: OwnerSlots,
        configuration: MonitorConfiguration, clock: SchedulingClock, membership: ClusterMembership?,
        group: inout DiscardingTaskGroup
    ) async {
        // Checks due within this slack go out together: fewer wake-ups, fuller ping batches.
        let slack: TimeInterval = 0.25
        var nextRefresh = Date.distantPast
        var partitions = membership?.partitionGeneration
        while !Task.isCancelled {
            let now = clock.now()
            // Partitions taken or given up: their monitors join or leave the plan at once.
            if let generation = membership?.partitionGeneration, generation != partitions {
                partitions = generation
                nextRefresh = now
            }
            if now >= nextRefresh {
                let loaded = await scheduler.refresh(now: now, wallNow: clock.wallNow())
                AllocatorTuning.releaseFreePages()
                // After a failed load, try again soon rather than a whole refresh interval later.
                let reload = configuration.reloadInterval.timeInterval
                nextRefresh = now.addingTimeInterval(loaded ? reload : min(5, reload))
            }
            let due = await scheduler.takeDue(until: now.addingTimeInterval(slack), now: now)
            // Addresses and names in batches of their own: an address never waits for a slow lookup.
            let allPings = due.filter { $0.target.kind == .icmp }
            let literals = allPings.filter { ICMPPinger.isAddressLiteral($0.target.target) }
            let names = allPings.filter { !ICMPPinger.isAddressLiteral($0.target.target) }
            for pings in [literals, names] where !pings.isEmpty {
                group.addTask {
                    guard let results = try? await checker.ping(pings.map(\.target)) else {
                        await scheduler.abandon(pings)
                        return
                    }
                    await scheduler.complete(
                        Array(zip(pings, results)).map { ($0, $1) }, at: clock.wallNow())
                }
            }
            for site in due where site.target.kind != .icmp {
                group.addTask {
                    // The owner's share first, then a slot of the shared pool.
                    guard
                        let result = try? await ownerSlots.withSlot(
                            owner: site.ownerID,
                            { () async throws(CancellationError) in try await checker.checkOne(site.target) })
                    else {
                        await scheduler.abandon([site])
                        return
                    }
                    await scheduler.complete([(site, result)], at: clock.wallNow())
                }
            }
            // At most a second: a monitor whose check overran its slot is picked up again promptly.
            let next = min(await scheduler.nextDue ?? .distantFuture, nextRefresh, clock.now().addingTimeInterval(1))
            let wait = next.timeIntervalSince(clock.now())
            if wait > 0 {
                do {
                    try await pause(.milliseconds(Int(wait * 1000) + 1), watching: membership)
                } catch { break }
            }
        }
    }

    /// Sleeps `duration`, or less when the partitions held change meanwhile (those taken over are
    /// checked without waiting out the pause).
    private static func pause(_ duration: Duration, watching membership: ClusterMembership?) async throws {
        guard let membership else { return try await Task.sleep(for: duration) }
        let generation = membership.partitionGeneration
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await membership.waitForPartitionChange(from: generation) }
            await group.next()
            group.cancelAll()
        }
        try Task.checkCancellation()
    }

    private static func flushLoop(_ writer: CheckResultWriter, every interval: Duration) async {
        var failures = 0
        var lastRelease = ContinuousClock.now
        while !Task.isCancelled {
            // Back off while storage is down: each failed attempt may wait out the driver's timeout.
            let pause = interval * (1 << min(failures, 4))
            do { try await Task.sleep(for: pause) } catch { return }
            failures = await writer.flush() ? 0 : failures + 1
            // Writes churn through short-lived buffers on many threads; give the pages back now and then.
            if ContinuousClock.now - lastRelease >= .seconds(5) {
                AllocatorTuning.releaseFreePages()
                lastRelease = .now
            }
        }
    }

}
