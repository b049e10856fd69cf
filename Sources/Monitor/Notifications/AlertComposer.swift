import BSON
import Checks
import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// Turns status changes into outbox messages. The dedupe key names the monitor, the transition
/// and the monitor's transition counter (never a clock), so moving the same alert again — after a
/// failed write, or by a restarted service — adds nothing.
/// An alert is due at once; the sender holds it back (up to its grouping window) only while another
/// change of the same owner is on its way.
struct AlertComposer: Sendable {
    static let alertKeyPrefix = "alert:"

    /// "alert:<monitor id>:down:<transition counter>" / "alert:<monitor id>:up:<counter>".
    static func dedupeKey(monitorID: ObjectId, transition: String, counter: Int) -> String {
        "\(alertKeyPrefix)\(monitorID.hex):\(transition):\(counter)"
    }

    /// The monitor an alert's key names; nil for other messages.
    static func monitorHex(ofKey key: String) -> Substring? {
        guard key.hasPrefix(alertKeyPrefix) else { return nil }
        let parts = key.split(separator: ":")
        return parts.count >= 4 ? parts[1] : nil
    }

    /// "down" or "up" for an alert's key; nil for other messages.
    static func transition(ofKey key: String) -> String? {
        guard key.hasPrefix(alertKeyPrefix) else { return nil }
        let parts = key.split(separator: ":")
        return parts.count >= 4 ? String(parts[2]) : nil
    }

    /// What an alert says beyond the transition itself.
    struct Details: Sendable {
        /// Who took the outage (a recovery names them).
        var ack: Acknowledgement?
        /// Monitors behind this one that fail with it (a parent's down alert sums them up).
        var behind = 0
        /// The alert was held and goes out late, for this reason.
        var released: HeldAlert.Reason?
    }

    func alert(
        for monitor: MonitorRecord, transition: AlertTransition, counter: Int, at time: Date,
        result: TargetCheckResult, failures: Int, language: Language, zone: ChatTimeZone = .utc,
        details: Details = Details()
    ) -> OutboxMessage? {
        let texts = NotificationTexts(language: language, zone: zone)
        let kind = monitor.kind
        var text: String
        let key: String
        let keyboard: InlineKeyboardMarkup?
        switch transition {
        case .none:
            return nil
        case .wentDown(let since):
            text = texts.wentDown(
                name: monitor.name, target: monitor.target, kind: kind, failure: result.failure, since: since,
                failures: failures)
            if details.behind > 0 { text += "\n" + texts.behindIt(details.behind) }
            key = Self.dedupeKey(monitorID: monitor.id, transition: "down", counter: counter)
            keyboard = try? AlertActions.downKeyboard(
                monitorID: monitor.id, name: monitor.name, counter: counter, labels: texts.buttonLabels)
        case .recovered(let downSince, let downtime):
            text = texts.recovered(
                name: monitor.name, target: monitor.target, downSince: downSince, downtime: downtime,
                responseTime: result.responseTime)
            if let ack = details.ack { text += "\n" + texts.acknowledgedLine(ack) }
            key = Self.dedupeKey(monitorID: monitor.id, transition: "up", counter: counter)
            keyboard = try? AlertActions.upKeyboard(monitorID: monitor.id, name: monitor.name)
        }
        if let reason = details.released { text = texts.afterHold(reason) + "\n" + text }
        return OutboxMessage(
            chatID: monitor.ownerID, text: text, dedupeKey: key,
            notBefore: time, createdAt: time, replyMarkup: keyboard)
    }

    /// "Still down" for one owner: one message per reminder period (`reminder:<owner>:<hours>:<period>`,
    /// the period counted from the epoch), so a restarted or second instance adds nothing.
    func reminder(
        owner: Int64, hours: Int, items: [(name: String, since: Date)], omitted: Int, language: Language,
        zone: ChatTimeZone, now: Date
    ) -> OutboxMessage? {
        guard !items.isEmpty, hours > 0 else { return nil }
        let period = Int64(now.timeIntervalSince1970 / Double(hours * 3600))
        return OutboxMessage(
            chatID: owner,
            text: NotificationTexts(language: language, zone: zone).reminder(items, now: now, omitted: omitted),
            dedupeKey: "reminder:\(owner):\(hours):\(period)", notBefore: now, createdAt: now)
    }

    /// A change while the owner has muted alerts: its summary line, under the alert's own key. The
    /// outbox holds it until the mute ends and then sends it with the others under one header, so
    /// the summary survives a restart and a cluster sends one.
    func mutedChange(
        for monitor: MonitorRecord, transition: AlertTransition, counter: Int, at time: Date, language: Language,
        zone: ChatTimeZone = .utc
    ) -> OutboxMessage? {
        let direction: String
        switch transition {
        case .none: return nil
        case .wentDown: direction = "down"
        case .recovered: direction = "up"
        }
        guard
            let text = NotificationTexts(language: language, zone: zone).mutedChange(
                name: monitor.name, transition: transition, at: time)
        else { return nil }
        return OutboxMessage(
            chatID: monitor.ownerID, text: text,
            dedupeKey: Self.dedupeKey(monitorID: monitor.id, transition: direction, counter: counter),
            notBefore: time, createdAt: time)
    }

    func connectivityLost(
        admins: [Int64: Language], since: Date, failedCanaries: [String], proxyDown: String?
    ) -> [OutboxMessage] {
        admins.map { admin, language in
            OutboxMessage(
                chatID: admin,
                text: NotificationTexts(language: language).connectivityLost(
                    since: since, failedCanaries: failedCanaries, proxyDown: proxyDown),
                dedupeKey: "connectivity:\(admin):lost:\(Self.milliseconds(since))", notBefore: since, createdAt: since)
        }
    }

    func connectivityRestored(admins: [Int64: Language], since: Date, at: Date) -> [OutboxMessage] {
        admins.map { admin, language in
            OutboxMessage(
                chatID: admin, text: NotificationTexts(language: language).connectivityRestored(since: since, at: at),
                dedupeKey: "connectivity:\(admin):restored:\(Self.milliseconds(since))", notBefore: at, createdAt: at)
        }
    }

    /// The millisecond a date falls in. The quarter-millisecond nudge absorbs the float error of a
    /// date read back from BSON (k / 1000 × 1000 may come out a hair below k).
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000 + 0.25).rounded(.down)) }
}

extension Duration {
    var timeInterval: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
