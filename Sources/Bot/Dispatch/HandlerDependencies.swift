import Storage

/// What handlers work with besides Telegram and the update: the stores, the operator's settings and
/// the monitor catalog built over them (the catalog enforces the per-user limit). Built once by the
/// composition root and handed to every handler through `BotContext.dependencies`.
public struct HandlerDependencies: Sendable {
    public let repositories: Repositories
    public let settings: BotSettings
    public let catalog: MonitorCatalog

    public init(repositories: Repositories, settings: BotSettings) {
        self.repositories = repositories
        self.settings = settings
        self.catalog = MonitorCatalog(
            monitors: repositories.monitors, checks: repositories.checks, limit: settings.maxMonitorsPerUser)
    }
}
