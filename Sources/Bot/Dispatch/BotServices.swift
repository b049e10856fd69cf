import Foundation
import Storage

/// Operator settings the conversation follows.
public struct BotSettings: Sendable {
    public var maxMonitorsPerUser: Int
    /// When not empty, only these phone numbers (digits only) may sign in.
    public var allowedPhones: Set<String>
    /// Telegram user ids that may always sign in and receive operator notices.
    public var adminIDs: Set<Int64>
    /// The operator's defaults, shown in /settings when a user has not chosen.
    public var defaultFailuresBeforeAlert: Int
    public var defaultCheckInterval: Int
    /// Monitors listed per page of /monitoring.
    public var pageSize: Int

    public init(
        maxMonitorsPerUser: Int = 100, allowedPhones: Set<String> = [], adminIDs: Set<Int64> = [],
        defaultFailuresBeforeAlert: Int = OperatorDefaults.failuresBeforeAlert,
        defaultCheckInterval: Int = OperatorDefaults.checkIntervalSeconds, pageSize: Int = 8
    ) {
        self.maxMonitorsPerUser = maxMonitorsPerUser
        self.allowedPhones = allowedPhones
        self.adminIDs = adminIDs
        self.defaultFailuresBeforeAlert = defaultFailuresBeforeAlert
        self.defaultCheckInterval = defaultCheckInterval
        self.pageSize = pageSize
    }
}

/// What handlers work with besides Telegram: the stores and the operator's settings.
public struct BotServices: Sendable {
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
