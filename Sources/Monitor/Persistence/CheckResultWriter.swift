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
/// per monitor (the latest wins), history and notifications up to a bound, beyond which the
/// oldest are dropped and counted in the log.
///
/// A monitor's state is written before its notifications: an alert is in the outbox only once
/// the status it announces is stored, so a restarted service never announces it again.
actor CheckResultWriter {
    private let repositories: Repositories
    private let maxHistory: Int
    private let maxMessages: Int
    private let logger: Logger

    private var states: [ObjectId: MonitorCheckState] = [:]
    private var history: [CheckRecord] = []
    private var messages: [OutboxMessage] = []
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
        states.merge(batch.states) { _, newer in newer }
        history += batch.history
        trimHistory()
        messages += batch.messages
        if messages.count > maxMessages {
            let excess = messages.count - maxMessages
            messages.removeFirst(excess)
            droppedMessages += excess
        }
    }

    /// What waits to be written (for the benchmark and tests).
    var backlog: (states: Int, history: Int, messages: Int) { (states.count, history.count, messages.count) }

    /// Writes what is buffered; true when everything went through. Concurrent calls do not overlap:
    /// a call made during a flush returns false and leaves the work to the next one.
    @discardableResult
    func flush() async -> Bool {
        guard !flushing else { return false }
        flushing = true
        defer { flushing = false }
        reportDrops()

        let pendingStates = states
        states.removeAll(keepingCapacity: true)
        do {
            if !pendingStates.isEmpty { try await repositories.monitors.recordChecks(pendingStates) }
        } catch {
            // Newer states recorded meanwhile win over the ones that failed.
            states.merge(pendingStates) { newer, _ in newer }
            failed(error, what: "monitor states")
            return false
        }

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
                    "buffered_checks": "\(history.count)", "buffered_notifications": "\(messages.count)",
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
