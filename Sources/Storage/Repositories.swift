import BSON
import FSM
import Foundation

public protocol UserRepository: Sendable {
    func get(_ id: Int64) async throws -> UserRecord?
    /// Creates the user or refreshes phone, names and language of an existing one (settings are kept).
    func upsert(_ user: UserRecord) async throws
    func findByPhone(_ phone: String) async throws -> UserRecord?
    func updateSettings(_ id: Int64, _ settings: UserSettings) async throws
    func setLanguage(_ id: Int64, _ language: String) async throws
    func setUnreachable(_ id: Int64, _ unreachable: Bool) async throws
    func count() async throws -> Int
    /// The users among `ids` that exist, in no particular order (one round trip for the monitor's sweep).
    func list(ids: [Int64]) async throws -> [UserRecord]
}

public enum MonitorRepositoryError: Error, Equatable, Sendable {
    /// The owner already watches this target.
    case duplicate
}

public protocol MonitorRepository: Sendable {
    /// Throws `MonitorRepositoryError.duplicate` when the owner already has (kind, target).
    func create(_ monitor: MonitorRecord) async throws
    func get(_ id: ObjectId) async throws -> MonitorRecord?
    /// The owner's monitors, oldest first.
    func list(ownerID: Int64) async throws -> [MonitorRecord]
    func count(ownerID: Int64) async throws -> Int
    /// Whether the owner already watches (kind, target).
    func exists(ownerID: Int64, kind: MonitorKind, target: String) async throws -> Bool
    /// Every enabled monitor of every owner: what the scheduler checks.
    func listEnabled() async throws -> [MonitorRecord]
    /// One page of `listEnabled`, by ascending id after `after`: the scheduler reloads in pages so
    /// ten thousand monitors never sit in memory twice.
    func listEnabled(after: ObjectId?, limit: Int) async throws -> [MonitorRecord]
    /// Applies the owner's changes; nil when no such monitor belongs to `ownerID`.
    func update(_ id: ObjectId, ownerID: Int64, _ changes: MonitorChanges) async throws -> MonitorRecord?
    /// Deletes the owner's monitor; false when none matched.
    func delete(_ id: ObjectId, ownerID: Int64) async throws -> Bool
    /// Persists the alert state after a check (ignored when the monitor was deleted meanwhile).
    func recordCheck(_ id: ObjectId, _ state: MonitorCheckState) async throws
    /// `recordCheck` for many monitors in one round trip (deleted ones are skipped).
    func recordChecks(_ states: [ObjectId: MonitorCheckState]) async throws
}

extension MonitorRepository {
    public func exists(ownerID: Int64, kind: MonitorKind, target: String) async throws -> Bool {
        try await list(ownerID: ownerID).contains { $0.kind == kind && $0.target == target }
    }
}

public protocol CheckHistoryRepository: Sendable {
    func append(_ checks: [CheckRecord]) async throws
    /// Newest first.
    func recent(monitorID: ObjectId, limit: Int) async throws -> [CheckRecord]
    /// Uptime since each of `windows` (e.g. 24 h, 7 d, 30 d ago), in one pass over the history.
    func uptime(monitorID: ObjectId, since windows: [Date]) async throws -> [UptimeSummary]
    func deleteAll(monitorID: ObjectId) async throws
}

extension CheckHistoryRepository {
    public func uptime(monitorID: ObjectId, since: Date) async throws -> UptimeSummary {
        try await uptime(monitorID: monitorID, since: [since]).first ?? UptimeSummary(total: 0, ok: 0)
    }
}

public protocol OutboxRepository: Sendable {
    /// Adds a pending message; false when one with the same dedupe key exists already.
    @discardableResult
    func enqueue(_ message: OutboxMessage) async throws -> Bool
    /// Pending messages due by `now`, oldest first.
    func due(now: Date, limit: Int) async throws -> [OutboxMessage]
    func markSent(_ id: ObjectId, at: Date) async throws
    /// Schedules another attempt after a failure, or gives up (`final`).
    func markFailed(_ id: ObjectId, error: String, retryAt: Date?, final: Bool) async throws
    func pendingCount() async throws -> Int
    /// A chat's pending messages, due or not, oldest first: the sender groups them into one message.
    func pending(chatID: Int64, limit: Int) async throws -> [OutboxMessage]
    /// Keeps a pending message back for its owner until `until` (not a failed attempt): records since
    /// when (the first hold's time is kept) and why.
    func hold(_ id: ObjectId, reason: OutboxMessage.HoldReason, since: Date, until: Date) async throws
    /// Makes a chat's held messages due at `now`: the owner is back.
    func releaseHeld(chatID: Int64, now: Date) async throws
}

/// An update taken from Telegram, as the bot wrote it down: its id and the update's fields.
public struct InboxEntry: Sendable, Equatable {
    public let id: Int64
    public let update: BSONDocument

    public init(id: Int64, update: BSONDocument) {
        self.id = id
        self.update = update
    }
}

/// Updates the bot took from Telegram, kept until handled: Telegram forgets an update once the bot
/// asks for the next ones, so one taken but not finished when the process died (SIGKILL, OOM) would
/// be lost without this.
public protocol UpdateInboxRepository: Sendable {
    /// Writes down updates just taken; returns the ids among them written down before (re-delivered
    /// after a crash), which are not written again.
    func record(_ entries: [InboxEntry]) async throws -> Set<Int64>
    /// Marks an update handled; if `record` has not landed yet, the mark stands and the later `record`
    /// reports the id as known.
    func markHandled(_ id: Int64) async throws
    /// The updates written down and not handled, oldest first, and the highest id written down at all.
    func unhandled() async throws -> (entries: [InboxEntry], highestID: Int64?)
}

// Plain fallbacks for other conformers; the memory and MongoDB stores do these in one step.
extension UserRepository {
    public func list(ids: [Int64]) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        for id in Set(ids) { if let user = try await get(id) { users.append(user) } }
        return users
    }
}

extension MonitorRepository {
    public func recordChecks(_ states: [ObjectId: MonitorCheckState]) async throws {
        for (id, state) in states { try await recordCheck(id, state) }
    }
}

/// Every store the bot uses, in one value: MongoDB-backed or in memory.
public struct Repositories: Sendable {
    public let users: any UserRepository
    public let monitors: any MonitorRepository
    public let checks: any CheckHistoryRepository
    public let outbox: any OutboxRepository
    public let fsm: any FSMStorage
    public let inbox: any UpdateInboxRepository

    public init(
        users: any UserRepository, monitors: any MonitorRepository, checks: any CheckHistoryRepository,
        outbox: any OutboxRepository, fsm: any FSMStorage, inbox: any UpdateInboxRepository = MemoryUpdateInbox()
    ) {
        self.users = users
        self.monitors = monitors
        self.checks = checks
        self.outbox = outbox
        self.fsm = fsm
        self.inbox = inbox
    }

    /// The embedded default: nothing persists across restarts.
    public static func inMemory() -> Repositories {
        Repositories(
            users: MemoryUserRepository(), monitors: MemoryMonitorRepository(), checks: MemoryCheckHistoryRepository(),
            outbox: MemoryOutboxRepository(), fsm: MemoryFSMStorage())
    }
}
