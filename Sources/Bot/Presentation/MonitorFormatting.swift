import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// How monitors look in the chat: status marks, times, durations, a response-time sparkline.
enum MonitorFormatting {
    /// The monitor's mark; 🛠 while it is in maintenance (its own windows or the owner's `ownerWindows`).
    static func statusEmoji(_ monitor: MonitorRecord, ownerWindows: [MaintenanceWindow] = [], now: Date = Date())
        -> String
    {
        if !monitor.enabled { return "⏸" }
        if maintenanceEnd(monitor, ownerWindows: ownerWindows, now: now) != nil { return "🛠" }
        switch monitor.status {
        case .unknown: return "⚪"
        case .up: return monitor.slow.active ? "🟡" : "🟢"
        case .down: return "🔴"
        }
    }

    /// Whether the monitor answers but slowly (the 🟡 state of #15; none until it lands).
    static func isSlow(_ monitor: MonitorRecord) -> Bool { false }

    /// When the maintenance the monitor is in now ends; nil when it is in none.
    static func maintenanceEnd(_ monitor: MonitorRecord, ownerWindows: [MaintenanceWindow], now: Date) -> Date? {
        (monitor.maintenance + ownerWindows).occurrence(containing: now)?.end
    }

    /// Longest name and target in a list line (UTF-16 units, as Telegram counts): a page of the
    /// longest ones still fits one message, so /monitoring always opens.
    static let listNameLength = 64
    static let listTargetLength = 100
    /// Longest name in a message about one monitor: a skipped name is the target (up to 2000).
    static let titleNameLength = 200

    /// The name for a message about one monitor, cut to `titleNameLength`.
    static func title(_ monitor: MonitorRecord) -> String {
        TelegramText.truncated(monitor.name, toUTF16: titleNameLength)
    }

    /// One line of the list: mark, name, target, last response time.
    static func listLine(
        _ monitor: MonitorRecord, _ t: Texts, ownerWindows: [MaintenanceWindow] = [], now: Date = Date()
    ) -> String {
        let name = TelegramText.truncated(monitor.name, toUTF16: listNameLength)
        let target = TelegramText.truncated(monitor.target, toUTF16: listTargetLength)
        var line =
            "\(statusEmoji(monitor, ownerWindows: ownerWindows, now: now)) \(HTML.bold(name)) — \(HTML.code(target))"
        if let last = monitor.lastCheck {
            if let rtt = last.rttMs, last.ok { line += " · \(roundTrip(rtt, t))" }
            line += " · \(ago(last.at, now: now, t))"
        }
        return line
    }

    static func milliseconds(_ value: Double) -> String { HumanFormat.milliseconds(value) }

    /// "3.4 мс", and under a millisecond "450 мкс" rather than "0.0 мс".
    static func roundTrip(_ milliseconds: Double, _ t: Texts) -> String {
        HumanFormat.roundTrip(milliseconds: milliseconds, t.language)
    }

    /// "5 мин назад" / "5 min ago".
    static func ago(_ date: Date, now: Date, _ t: Texts) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        return t.pick("\(duration(seconds, t)) назад", "\(duration(seconds, t)) ago")
    }

    /// A compact length of time ("45 с", "3 ч 5 мин"), worded as the alerts word it.
    static func duration(_ seconds: Int, _ t: Texts) -> String {
        HumanFormat.duration(TimeInterval(seconds), t.language)
    }

    /// "2026-11-20 23:40:12 MSK": in the reader's zone, as the alerts write times.
    static func timestamp(_ date: Date, _ t: Texts) -> String { HumanFormat.timestamp(date, in: t.zone) }

    /// "2026-11-20 23:40 MSK".
    static func minute(_ date: Date, _ t: Texts) -> String { HumanFormat.minute(date, in: t.zone) }

    static func uptime(_ summary: UptimeSummary, _ t: Texts) -> String {
        guard let ratio = summary.ratio else { return "—" }
        let uptime = String(format: "%.2f%%", ratio * 100)
        guard summary.slow > 0, let slow = summary.slowRatio else { return uptime }
        return "\(uptime) (\(t.slowShare(String(format: "%.1f%%", slow * 100))))"
    }

    /// Response times as ▁▂▃▄▅▆▇█, oldest first; a failed check shows as "×".
    static func sparkline(_ checks: [CheckRecord]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        let values = checks.compactMap { $0.ok ? $0.rttMs : nil }
        guard let low = values.min(), let high = values.max() else {
            return checks.isEmpty ? "" : String(repeating: "×", count: checks.count)
        }
        let span = max(high - low, 0.001)
        return String(
            checks.map { check -> Character in
                guard check.ok, let rtt = check.rttMs else { return "×" }
                return bars[min(bars.count - 1, Int((rtt - low) / span * Double(bars.count - 1)))]
            })
    }
}
