import Foundation
import HumanFormatting
import Storage

/// What the scheduler needs to know about a monitor's owner, read at every refresh.
struct OwnerProfile: Sendable, Equatable {
    var thresholds: AlertThresholds
    /// The owner's default interval (seconds); nil = the operator's.
    var checkInterval: Int?
    var language: Language
    var mutedUntil: Date?
    /// Telegram said the user blocked the bot: nothing is sent until they come back.
    var unreachable: Bool
    /// Certificate expiry warnings ahead (/settings; on unless switched off).
    var certificateWarnings: Bool
    /// The zone the owner reads times in (their setting, else `TZ`).
    var zone: ChatTimeZone
    /// "Still down" every so many hours; 0 = off.
    var reminderHours: Int
    /// Maintenance of all the owner's monitors.
    var maintenance: [MaintenanceWindow]

    init(user: UserRecord?, configuration: MonitorConfiguration) {
        let settings = user?.settings ?? UserSettings()
        thresholds = AlertThresholds(
            failuresBeforeAlert: settings.failuresBeforeAlert ?? configuration.failuresBeforeAlert,
            successesBeforeRecovery: settings.successesBeforeRecovery ?? configuration.successesBeforeRecovery)
        checkInterval = settings.checkIntervalSeconds.flatMap { $0 > 0 ? max($0, configuration.minCheckInterval) : nil }
        language = Language(code: user?.language)
        mutedUntil = settings.mutedUntil
        unreachable = user?.unreachable ?? false
        certificateWarnings = settings.certificateWarnings ?? true
        zone = ChatTimeZone.resolve(settings.timeZone, default: configuration.timeZone)
        reminderHours = max(0, settings.reminderHours ?? 0)
        maintenance = settings.maintenance
    }

    func isMuted(at now: Date) -> Bool { mutedUntil.map { $0 > now } ?? false }
}
