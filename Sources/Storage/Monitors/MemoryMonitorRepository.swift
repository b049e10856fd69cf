import BSON
import Foundation
import Targets

public actor MemoryMonitorRepository: MonitorRepository {
    private var monitors: [ObjectId: MonitorRecord] = [:]

    public init() {}

    public func create(_ monitor: MonitorRecord) throws {
        let clash = monitors.values.contains {
            $0.ownerID == monitor.ownerID && $0.kind == monitor.kind && $0.target == monitor.target
        }
        if clash || monitors[monitor.id] != nil { throw MonitorRepositoryError.duplicate }
        monitors[monitor.id] = monitor
    }

    public func get(_ id: ObjectId) -> MonitorRecord? { monitors[id] }

    public func list(ownerID: Int64) -> [MonitorRecord] {
        monitors.values.filter { $0.ownerID == ownerID }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func count(ownerID: Int64) -> Int { monitors.values.reduce(0) { $0 + ($1.ownerID == ownerID ? 1 : 0) } }

    public func exists(ownerID: Int64, kind: TargetKind, target: String) -> Bool {
        monitors.values.contains { $0.ownerID == ownerID && $0.kind == kind && $0.target == target }
    }

    public func listEnabled(after: ObjectId?, limit: Int) -> [MonitorRecord] {
        let page = monitors.values.filter { m in m.enabled && (after.map { $0 < m.id } ?? true) }
        return Array(page.sorted { $0.id < $1.id }.prefix(limit))
    }

    public func update(_ id: ObjectId, ownerID: Int64, _ changes: MonitorChanges) throws -> MonitorRecord? {
        guard var monitor = monitors[id], monitor.ownerID == ownerID else { return nil }
        if let name = changes.name { monitor.name = name }
        if let kind = changes.kind { monitor.kind = kind }
        if let target = changes.target {
            let kind = monitor.kind
            let clash = monitors.values.contains {
                $0.id != id && $0.ownerID == ownerID && $0.kind == kind && $0.target == target
            }
            if clash { throw MonitorRepositoryError.duplicate }
            if target != monitor.target { monitor.resetAlertState() }
            monitor.target = target
        }
        if let enabled = changes.enabled { monitor.enabled = enabled }
        if let options = changes.options { monitor.options = options }
        if let keyword = changes.keyword { monitor.keyword = keyword }
        if let interval = changes.intervalSeconds { monitor.intervalSeconds = interval }
        if let dependsOn = changes.dependsOn { monitor.dependsOn = dependsOn }
        if let maintenance = changes.maintenance { monitor.maintenance = maintenance }
        if changes.bumpsRevision { monitor.revision = monitor.revision.saturatingIncrement }
        monitor.updatedAt = Date()
        monitors[id] = monitor
        return monitor
    }

    public func acknowledge(_ id: ObjectId, ownerID: Int64, _ ack: Acknowledgement) -> AcknowledgeOutcome {
        guard var monitor = monitors[id], monitor.ownerID == ownerID else { return .notFound }
        guard monitor.status == .down, monitor.transitions == ack.counter else { return .over }
        monitor.ack = ack
        monitors[id] = monitor
        return .acknowledged(monitor)
    }

    public func delete(_ id: ObjectId, ownerID: Int64) -> Bool {
        guard monitors[id]?.ownerID == ownerID else { return false }
        monitors[id] = nil
        return true
    }

    public func recordChecks(_ states: [ObjectId: MonitorCheckState]) {
        for (id, state) in states { recordCheck(id, state) }
    }

    private func recordCheck(_ id: ObjectId, _ state: MonitorCheckState) {
        guard var monitor = monitors[id], state.revision.map({ $0 == monitor.revision }) ?? true else { return }
        monitor.status = state.status
        monitor.statusSince = state.statusSince
        monitor.failStreak = state.failStreak
        monitor.successStreak = state.successStreak
        monitor.lastCheck = state.lastCheck
        monitor.transitions = state.transitions
        if let slow = state.slow { monitor.slow = slow }
        if let certificate = state.certificate { monitor.certificate = certificate }
        monitor.heldAlert = state.heldAlert
        for alert in state.alerts where !monitor.pendingAlerts.contains(alert) { monitor.pendingAlerts.append(alert) }
        monitors[id] = monitor
    }

    public func pendingAlerts() -> [ObjectId: [PendingAlert]] {
        monitors.compactMapValues { $0.pendingAlerts.isEmpty ? nil : $0.pendingAlerts }
    }

    public func clearPendingAlerts(_ id: ObjectId, keys: [String]) {
        monitors[id]?.pendingAlerts.removeAll { keys.contains($0.dedupeKey) }
    }
}

extension MonitorRecord {
    /// A new target starts from "not yet checked".
    mutating func resetAlertState() {
        status = .unknown
        statusSince = nil
        failStreak = 0
        successStreak = 0
        lastCheck = nil
        slow = SlowState()
        certificate = nil
    }
}
