import BSON
import Foundation
import Logging
import Storage

/// What one batch of results produced.
struct CheckResultBatch: Sendable {
    var states: [ObjectId: MonitorCheckState] = [:]
    var history: [CheckRecord] = []
    var messages: [OutboxMessage] = []

    var isEmpty: Bool { states.isEmpty && history.isEmpty && messages.isEmpty }
}

/// Everything checks produce — monitor states, history, notifications — written to storage in
/// batches. While storage is down it is kept here and written when storage is back: states one
/// per monitor (the latest wins, carrying the alerts of the ones it replaced), history and other
/// notifications up to a bound, beyond which the oldest are dropped and counted in the log.
///
/// An alert travels inside its monitor's state (`pending_alerts`, one update with the status), is
/// then moved to the outbox by its dedupe key and cleared from the monitor. A process killed at
/// any point leaves it either unwritten together with its state (the next process sees the old
/// state and finds the change again) or pending in the monitor (moved at the next start).
actor CheckResultWriter {
    private let repositories: Repositories
    private let maxHistory: Int
    private let maxMessages: Int
    /// Alerts kept per monitor while storage is down (a monitor flapping through a long outage).
    static let maxAlertsPerMonitor = 50
    private let logger: Logger

    private var states: [ObjectId: MonitorCheckState] = [:]
    private var history: [CheckRecord] = []
    private var messages: [OutboxMessage] = []
    /// Alerts stored in their monitors and not yet in the outbox, by monitor.
    private var unmoved: [ObjectId: [PendingAlert]] = [:]
    /// Whether the alerts stored in the monitors have been read since the last state write with alerts.
    private var recovered = false
    /// Whether they have been read at all: the first read finds what a previous process left.
    private var recoveredOnce = false
    private var droppedHistory = 0
    private var droppedMessages = 0
    private var flushing = false
    /// Set while storage refuses writes, so the outage is logged once, not every second.
    private var failingSince: Date?

    init(repositories: Repositories, maxHistory: Int, maxMessages: Int = 10_000, logger: Logger) {
        self.repositories = repositories
        self.maxHistory = max(1, maxHistory)
        self.maxMessages = max(1, maxMessages)
        self.logger = logger
    }

    func take(_ batch: CheckResultBatch) {
        states.merge(batch.states) { older, newer in Self.merged(older, newer, dropped: &droppedMessages) }
        history += batch.history
        trimHistory()
        messages += batch.messages
        if messages.count > maxMessages {
            let excess = messages.count - maxMessages
            messages.removeFirst(excess)
            droppedMessages += excess
        }
    }

    /// The newer state, with the alerts of the older one it replaces (none is lost to "latest wins").
    private static func merged(_ older: MonitorCheckState, _ newer: MonitorCheckState, dropped: inout Int)
        -> MonitorCheckState
    {
        var state = newer
        let keys = Set(newer.alerts.map(\.dedupeKey))
        state.alerts = older.alerts.filter { !keys.contains($0.dedupeKey) } + newer.alerts
        if state.alerts.count > maxAlertsPerMonitor {
            let excess = state.alerts.count - maxAlertsPerMonitor
            state.alerts.removeFirst(excess)
            dropped += excess
        }
        return state
    }

    /// What waits to be written (for the benchmark and tests): notifications count the alerts
    /// buffered with states and those stored but not yet moved to the outbox.
    var backlog: (states: Int, history: Int, messages: Int) {
        let alerts = states.values.reduce(0) { $0 + $1.alerts.count } + unmoved.values.reduce(0) { $0 + $1.count }
        return (states.count, history.count, messages.count + alerts)
    }

    /// Writes what is buffered; true when everything went through. Concurrent calls do not overlap:
    /// a call made during a flush returns false and leaves the work to the next one.
    @discardableResult
    func flush() async -> Bool {
        guard !flushing else { return false }
        flushing = true
        defer { flushing = false }
        reportDrops()

        guard await recoverPendingAlerts() else { return false }
        let pendingStates = states
        states.removeAll(keepingCapacity: true)
        do {
            if !pendingStates.isEmpty { try await repositories.monitors.recordChecks(pendingStates) }
        } catch {
            // Newer states recorded meanwhile win over the ones that failed (keeping their alerts).
            states.merge(pendingStates) { newer, older in Self.merged(older, newer, dropped: &droppedMessages) }
            failed(error, what: "monitor states")
            return false
        }
        // Only the alerts that landed are moved: a write filtered out by a newer revision (an edit,
        // a pause) or a deleted monitor stored none. They are read back from the monitors.
        if pendingStates.values.contains(where: { !$0.alerts.isEmpty }) { recovered = false }
        guard await recoverPendingAlerts(), await moveAlerts() else { return false }

        let pendingMessages = messages
        messages.removeAll(keepingCapacity: true)
        for (index, message) in pendingMessages.enumerated() {
            do {
                // false: the same alert is in the outbox already (written before a restart or a lost reply).
                try await repositories.outbox.enqueue(message)
            } catch {
                messages.insert(contentsOf: pendingMessages[index...], at: 0)
                failed(error, what: "notifications")
                return false
            }
        }

        let pendingHistory = history
        history.removeAll(keepingCapacity: true)
        do {
            for start in stride(from: 0, to: pendingHistory.count, by: 1000) {
                try await repositories.checks.append(
                    Array(pendingHistory[start..<min(start + 1000, pendingHistory.count)]))
            }
        } catch {
            // insertMany is unordered: a retry may store some results twice, which only nudges uptime figures.
            history.insert(contentsOf: pendingHistory, at: 0)
            trimHistory()
            failed(error, what: "check history")
            return false
        }

        if let since = failingSince {
            logger.notice(
                "storage is writable again; buffered results written",
                metadata: ["down_for_s": "\(Int(Date().timeIntervalSince(since)))"])
            failingSince = nil
        }
        return true
    }

    /// Reads the alerts stored in the monitors and not moved yet: at the first flush what a previous
    /// process left, later what the last state write stored.
    private func recoverPendingAlerts() async -> Bool {
        guard !recovered else { return true }
        do {
            let left = try await repositories.monitors.pendingAlerts()
            for (id, alerts) in left {
                let known = Set(unmoved[id, default: []].map(\.dedupeKey))
                unmoved[id, default: []] += alerts.filter { !known.contains($0.dedupeKey) }
            }
            let firstRead = !recoveredOnce
            recovered = true
            recoveredOnce = true
            if firstRead, !left.isEmpty {
                logger.notice(
                    "moving alerts the previous process stored but did not enqueue",
                    metadata: ["alerts": "\(left.values.reduce(0) { $0 + $1.count })"])
            }
            return true
        } catch {
            failed(error, what: "pending alerts")
            return false
        }
    }

    /// Moves stored alerts to the outbox, then clears them from their monitors. Idempotent: the
    /// unique dedupe key makes a second enqueue a no-op, so a failure anywhere is simply retried.
    private func moveAlerts() async -> Bool {
        for (id, alerts) in unmoved {
            do {
                for alert in alerts {
                    // false: moved already (before a restart, or a lost reply).
                    try await repositories.outbox.enqueue(alert.outboxMessage)
                }
                try await repositories.monitors.clearPendingAlerts(id, keys: alerts.map(\.dedupeKey))
                unmoved[id] = nil
            } catch {
                failed(error, what: "notifications")
                return false
            }
        }
        return true
    }

    /// Trims in steps of a tenth, so a full buffer costs one shift per many appends, not one each.
    private func trimHistory() {
        guard history.count > maxHistory + maxHistory / 10 else { return }
        let excess = history.count - maxHistory
        history.removeFirst(excess)
        droppedHistory += excess
    }

    private func failed(_ error: any Error, what: String) {
        // A flush cancelled by the service stopping: the final flush writes it, storage is fine.
        if Task.isCancelled { return }
        if failingSince == nil {
            failingSince = Date()
            logger.error(
                "cannot write to storage; keeping results in memory until it is back",
                metadata: [
                    "what": "\(what)", "error": "\(error)", "buffered_states": "\(states.count)",
                    "buffered_checks": "\(history.count)", "buffered_notifications": "\(backlog.messages)",
                ])
        } else {
            logger.debug("storage still refuses writes", metadata: ["what": "\(what)", "error": "\(error)"])
        }
    }

    private func reportDrops() {
        if droppedHistory > 0 || droppedMessages > 0 {
            logger.error(
                "storage was down too long: dropped the oldest buffered results",
                metadata: [
                    "dropped_checks": "\(droppedHistory)", "dropped_notifications": "\(droppedMessages)",
                ])
            droppedHistory = 0
            droppedMessages = 0
        }
    }
}
