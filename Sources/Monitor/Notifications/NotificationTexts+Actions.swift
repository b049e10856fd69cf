import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// Texts of acknowledgements, maintenance, dependencies and reminders inside alerts.
extension NotificationTexts {
    var buttonLabels: AlertActions.Labels {
        AlertActions.Labels(
            acknowledge: pick("✋ Беру", "✋ Acknowledge"), maintenanceHour: pick("🛠 1 ч", "🛠 1 h"),
            pause: pick("⏸ Пауза", "⏸ Pause"), openAll: pick("📋 Открыть все", "📋 Open all"))
    }

    /// The recovery's line about who took the outage.
    func acknowledgedLine(_ ack: Acknowledgement) -> String {
        let name = HTML.escape(ack.byName.isEmpty ? "#\(ack.by)" : ack.byName)
        return pick(
            "✋ Взял(а) в работу: \(name), \(timestamp(ack.at))", "✋ Acknowledged by \(name) at \(timestamp(ack.at))")
    }

    /// The parent's down alert: the children held behind it.
    func behindIt(_ count: Int) -> String {
        pick(
            "…и ещё \(count) \(HumanFormat.ruPlural(count, "монитор", "монитора", "мониторов")) за ним",
            "…and \(count) \(count == 1 ? "monitor" : "monitors") behind it")
    }

    /// A held alert sent late: why it comes only now.
    func afterHold(_ reason: HeldAlert.Reason) -> String {
        switch reason {
        case .maintenance: pick("🛠 Обслуживание закончилось.", "🛠 Maintenance is over.")
        case .parent:
            pick("🔗 То, от чего он зависит, снова работает.", "🔗 What it depends on is back up.")
        }
    }

    /// "Still down": one line per monitor that is down and not acknowledged.
    func reminder(_ items: [(name: String, since: Date)], now: Date, omitted: Int) -> String {
        var lines = [pick("⏰ Всё ещё не работает:", "⏰ Still down:")]
        for item in items {
            let span = duration(now.timeIntervalSince(item.since))
            let name = HTML.bold(TelegramText.truncated(item.name, toUTF16: 64))
            lines.append(
                pick(
                    "🔴 \(name) — \(span) (с \(timestamp(item.since)))",
                    "🔴 \(name) — \(span) (since \(timestamp(item.since)))"))
        }
        if omitted > 0 { lines.append(pick("…и ещё \(omitted)", "…and \(omitted) more")) }
        lines.append(
            pick(
                "Нажмите ✋ под тревогой, чтобы больше не напоминать об этом сбое.",
                "Press ✋ under an alert to stop reminders of that outage."))
        return lines.joined(separator: "\n")
    }
}
