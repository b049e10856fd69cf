import Storage

/// What handlers work with besides Telegram and the update: the stores, the operator's settings, the
/// monitor catalog built over them (the catalog enforces the per-user limits), access control and the
/// target policy. Built once by the
/// composition root and handed to every handler through `BotContext.dependencies`.
public struct HandlerDependencies: Sendable {
    public let repositories: Repositories
    public let settings: BotSettings
    public let catalog: MonitorCatalog
    public let access: AccessControl
    /// The target policy; nil accepts every target (no policy configured, tests of other things).
    public let targetVetting: TargetVetting?

    /// - Parameter monitorChanges: told of every edit, pause and delete (the monitor engine listens).
    public init(
        repositories: Repositories, settings: BotSettings, targetVetting: TargetVetting? = nil,
        monitorChanges: MonitorChangeFeed? = nil
    ) {
        self.repositories = repositories
        self.settings = settings
        self.access = AccessControl(
            repositories: repositories,
            policy: AccessPolicy(
                signup: settings.signup, allowedPhones: settings.allowedPhones, adminIDs: settings.adminIDs))
        self.targetVetting = targetVetting
        self.catalog = MonitorCatalog(
            monitors: repositories.monitors, checks: repositories.checks, limit: settings.maxMonitorsPerUser,
            addsPerMinute: settings.maxAddsPerMinute, changes: monitorChanges)
    }
}
