import BSON
import Foundation
import Storage
import Synchronization

/// In-memory repositories that refuse every call while `isDown`: storage that went away mid-sweep.
final class FlakyStorage: Sendable {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "storage unavailable (test)" }
    }

    let memory = Repositories.inMemory()
    private let down = Atomic<Bool>(false)

    var isDown: Bool {
        get { down.load(ordering: .relaxed) }
        set { down.store(newValue, ordering: .relaxed) }
    }

    func check() throws {
        if isDown { throw Unavailable() }
    }

    var repositories: Repositories {
        Repositories(
            users: FlakyUsers(storage: self), monitors: FlakyMonitors(storage: self),
            checks: FlakyChecks(storage: self),
            outbox: FlakyOutbox(storage: self), fsm: memory.fsm)
    }
}

struct FlakyUsers: UserRepository {
    let storage: FlakyStorage
    var base: any UserRepository { storage.memory.users }
    func get(_ id: Int64) async throws -> UserRecord? {
        try storage.check()
        return try await base.get(id)
    }
    func upsert(_ user: UserRecord) async throws {
        try storage.check()
        try await base.upsert(user)
    }
    func updateSettings(_ id: Int64, _ settings: UserSettings) async throws {
        try storage.check()
        try await base.updateSettings(id, settings)
    }
    func setLanguage(_ id: Int64, _ language: String) async throws {
        try storage.check()
        try await base.setLanguage(id, language)
    }
    func setUnreachable(_ id: Int64, _ unreachable: Bool) async throws {
        try storage.check()
        try await base.setUnreachable(id, unreachable)
    }
    func list(ids: [Int64]) async throws -> [UserRecord] {
        try storage.check()
        return try await base.list(ids: ids)
    }
    func count() async throws -> Int {
        try storage.check()
        return try await base.count()
    }
    func setAccess(_ id: Int64, _ change: AccessChange) async throws -> UserRecord? {
        try storage.check()
        return try await base.setAccess(id, change)
    }
    func claimFirstAdmin(_ user: UserRecord) async throws -> Bool {
        try storage.check()
        return try await base.claimFirstAdmin(user)
    }
    func admins() async throws -> [UserRecord] {
        try storage.check()
        return try await base.admins()
    }
    func page(skip: Int, limit: Int) async throws -> [UserRecord] {
        try storage.check()
        return try await base.page(skip: skip, limit: limit)
    }
    func touch(_ id: Int64, at: Date) async throws {
        try storage.check()
        try await base.touch(id, at: at)
    }
}

struct FlakyMonitors: MonitorRepository {
    let storage: FlakyStorage
    var base: any MonitorRepository { storage.memory.monitors }
    func create(_ monitor: MonitorRecord) async throws {
        try storage.check()
        try await base.create(monitor)
    }
    func get(_ id: ObjectId) async throws -> MonitorRecord? {
        try storage.check()
        return try await base.get(id)
    }
    func list(ownerID: Int64) async throws -> [MonitorRecord] {
        try storage.check()
        return try await base.list(ownerID: ownerID)
    }
    func count(ownerID: Int64) async throws -> Int {
        try storage.check()
        return try await base.count(ownerID: ownerID)
    }
    func listEnabled(after: ObjectId?, limit: Int) async throws -> [MonitorRecord] {
        try storage.check()
        return try await base.listEnabled(after: after, limit: limit)
    }
    func update(_ id: ObjectId, ownerID: Int64, _ changes: MonitorChanges) async throws -> MonitorRecord? {
        try storage.check()
        return try await base.update(id, ownerID: ownerID, changes)
    }
    func delete(_ id: ObjectId, ownerID: Int64) async throws -> Bool {
        try storage.check()
        return try await base.delete(id, ownerID: ownerID)
    }
    func acknowledge(_ id: ObjectId, ownerID: Int64, _ ack: Acknowledgement) async throws -> AcknowledgeOutcome {
        try storage.check()
        return try await base.acknowledge(id, ownerID: ownerID, ack)
    }
    func recordChecks(_ states: [ObjectId: MonitorCheckState]) async throws {
        try storage.check()
        try await base.recordChecks(states)
    }
    func pendingAlerts() async throws -> [ObjectId: [PendingAlert]] {
        try storage.check()
        return try await base.pendingAlerts()
    }
    func clearPendingAlerts(_ id: ObjectId, keys: [String]) async throws {
        try storage.check()
        try await base.clearPendingAlerts(id, keys: keys)
    }
}

struct FlakyChecks: CheckHistoryRepository {
    let storage: FlakyStorage
    var base: any CheckHistoryRepository { storage.memory.checks }
    func append(_ checks: [CheckRecord]) async throws {
        try storage.check()
        try await base.append(checks)
    }
    func recent(monitorID: ObjectId, limit: Int) async throws -> [CheckRecord] {
        try storage.check()
        return try await base.recent(monitorID: monitorID, limit: limit)
    }
    func uptime(monitorID: ObjectId, since windows: [Date]) async throws -> [UptimeSummary] {
        try storage.check()
        return try await base.uptime(monitorID: monitorID, since: windows)
    }
    func deleteAll(monitorID: ObjectId) async throws {
        try storage.check()
        try await base.deleteAll(monitorID: monitorID)
    }
}

struct FlakyOutbox: OutboxRepository {
    let storage: FlakyStorage
    var base: any OutboxRepository { storage.memory.outbox }
    func enqueue(_ message: OutboxMessage) async throws -> Bool {
        try storage.check()
        return try await base.enqueue(message)
    }
    func due(now: Date, limit: Int) async throws -> [OutboxMessage] {
        try storage.check()
        return try await base.due(now: now, limit: limit)
    }
    func markSent(_ id: ObjectId, at: Date) async throws {
        try storage.check()
        try await base.markSent(id, at: at)
    }
    func markFailed(_ id: ObjectId, error: String, retryAt: Date?, final: Bool) async throws {
        try storage.check()
        try await base.markFailed(id, error: error, retryAt: retryAt, final: final)
    }
    func pendingCount() async throws -> Int {
        try storage.check()
        return try await base.pendingCount()
    }
    func pending(chatID: Int64, limit: Int) async throws -> [OutboxMessage] {
        try storage.check()
        return try await base.pending(chatID: chatID, limit: limit)
    }
    func hold(_ id: ObjectId, reason: OutboxMessage.HoldReason, since: Date, until: Date) async throws {
        try storage.check()
        try await base.hold(id, reason: reason, since: since, until: until)
    }
    func releaseHeld(chatID: Int64, now: Date) async throws {
        try storage.check()
        try await base.releaseHeld(chatID: chatID, now: now)
    }
}
