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
    }

    func isMuted(at now: Date) -> Bool { mutedUntil.map { $0 > now } ?? false }
}
