import FSM

/// Every store the bot uses, in one value: MongoDB-backed or in memory.
public struct Repositories: Sendable {
    public let users: any UserRepository
    public let monitors: any MonitorRepository
    public let checks: any CheckHistoryRepository
    public let outbox: any OutboxRepository
    public let fsm: any FSMStorage
    public let inbox: any UpdateInboxRepository
    public let audit: any AuditRepository

    public init(
        users: any UserRepository, monitors: any MonitorRepository, checks: any CheckHistoryRepository,
        outbox: any OutboxRepository, fsm: any FSMStorage,
        inbox: any UpdateInboxRepository = MemoryUpdateInboxRepository(),
        audit: any AuditRepository = MemoryAuditRepository()
    ) {
        self.users = users
        self.monitors = monitors
        self.checks = checks
        self.outbox = outbox
        self.fsm = fsm
        self.inbox = inbox
        self.audit = audit
    }

    /// The embedded default: nothing persists across restarts.
    public static func inMemory() -> Repositories {
        Repositories(
            users: MemoryUserRepository(), monitors: MemoryMonitorRepository(), checks: MemoryCheckHistoryRepository(),
            outbox: MemoryOutboxRepository(), fsm: MemoryFSMStorage())
    }
}
