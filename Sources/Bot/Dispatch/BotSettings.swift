import Foundation
import HumanFormatting
import Storage

/// Operator settings the conversation follows.
public struct BotSettings: Sendable {
    /// How people not listed in ALLOWED_PHONES / ADMIN_IDS get in.
    public var signup: SignupPolicy
    public var maxMonitorsPerUser: Int
    /// Monitors one user may add per minute.
    public var maxAddsPerMinute: Int
    /// The shortest check interval a user may choose, in seconds.
    public var minCheckInterval: Int
    /// When not empty, only these phone numbers (digits only) may sign in.
    public var allowedPhones: Set<String>
    /// Telegram user ids that may always sign in and receive operator notices.
    public var adminIDs: Set<Int64>
    /// The operator's defaults, shown in /settings when a user has not chosen.
    public var defaultFailuresBeforeAlert: Int
    public var defaultCheckInterval: Int
    /// Monitors listed per page of /monitoring.
    public var pageSize: Int
    /// CHECK_TIMEOUT (seconds): the longest timeout a monitor may choose for itself.
    public var checkTimeout: Int
    /// `TZ`: the zone times are shown in for users who chose none.
    public var timeZone: ChatTimeZone = .utc

    public init(
        signup: SignupPolicy = .default, maxMonitorsPerUser: Int = 100, maxAddsPerMinute: Int = 10,
        minCheckInterval: Int = 30, allowedPhones: Set<String> = [], adminIDs: Set<Int64> = [],
        defaultFailuresBeforeAlert: Int = OperatorDefaults.failuresBeforeAlert,
        defaultCheckInterval: Int = OperatorDefaults.checkIntervalSeconds, pageSize: Int = 8,
        checkTimeout: Int = OperatorDefaults.checkTimeoutSeconds
    ) {
        self.checkTimeout = checkTimeout
        self.signup = signup
        self.maxMonitorsPerUser = maxMonitorsPerUser
        self.maxAddsPerMinute = maxAddsPerMinute
        self.minCheckInterval = minCheckInterval
        self.allowedPhones = allowedPhones
        self.adminIDs = adminIDs
        self.defaultFailuresBeforeAlert = defaultFailuresBeforeAlert
        self.defaultCheckInterval = defaultCheckInterval
        self.pageSize = pageSize
    }
}
