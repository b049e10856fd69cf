import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// /status: one message with how many monitors are up, down, slow, paused and in maintenance, and
/// what is down since when.
enum StatusHandlers {
    /// Down monitors named at most (the message stays well under Telegram's 4096).
    static let maxDownLines = 30

    static func show(_ c: BotContext) async throws {
        if c.message != nil { try await c.fsm.clear() }
        c.answer()
        let monitors = try await c.dependencies.catalog.list(ownerID: c.from.id)
        try await c.reply(text(monitors, ownerWindows: c.user?.settings.maintenance ?? [], c.texts, now: Date()))
    }

    static func text(_ monitors: [MonitorRecord], ownerWindows: [MaintenanceWindow], _ t: Texts, now: Date) -> String {
        var up = 0
        var down: [MonitorRecord] = []
        var slow = 0
        var paused = 0
        var maintenance = 0
        var unknown = 0
        for monitor in monitors {
            if !monitor.enabled {
                paused += 1
            } else if MonitorFormatting.maintenanceEnd(monitor, ownerWindows: ownerWindows, now: now) != nil {
                maintenance += 1
            } else if MonitorFormatting.isSlow(monitor) {
                slow += 1
            } else {
                switch monitor.status {
                case .up: up += 1
                case .down: down.append(monitor)
                case .unknown: unknown += 1
                }
            }
        }
        var lines = [t.pick("📊 <b>Сводка</b>", "📊 <b>Status</b>")]
        lines.append(
            t.pick(
                "🟢 работают: \(up) · 🔴 не отвечают: \(down.count) · 🟡 медленно: \(slow) · ⏸ на паузе: \(paused) · 🛠 обслуживание: \(maintenance)",
                "🟢 up: \(up) · 🔴 down: \(down.count) · 🟡 slow: \(slow) · ⏸ paused: \(paused) · 🛠 maintenance: \(maintenance)"
            ))
        if unknown > 0 { lines.append(t.pick("⚪ ещё не проверялись: \(unknown)", "⚪ not checked yet: \(unknown)")) }
        if monitors.isEmpty { lines.append(t.listEmpty) }
        let sorted = down.sorted { ($0.statusSince ?? now) < ($1.statusSince ?? now) }
        if !sorted.isEmpty { lines.append("") }
        for monitor in sorted.prefix(maxDownLines) {
            let name = HTML.bold(TelegramText.truncated(monitor.name, toUTF16: MonitorFormatting.listNameLength))
            guard let since = monitor.statusSince else {
                lines.append("🔴 \(name)")
                continue
            }
            let span = MonitorFormatting.duration(Int(now.timeIntervalSince(since)), t)
            let ack =
                monitor.currentAck.map { " ✋ \(HTML.escape(TelegramText.truncated($0.byName, toUTF16: 40)))" } ?? ""
            lines.append(
                t.pick(
                    "🔴 \(name) — с \(MonitorFormatting.timestamp(since, t)) (\(span))\(ack)",
                    "🔴 \(name) — since \(MonitorFormatting.timestamp(since, t)) (\(span))\(ack)"))
        }
        if sorted.count > maxDownLines {
            lines.append(t.pick("…и ещё \(sorted.count - maxDownLines)", "…and \(sorted.count - maxDownLines) more"))
        }
        return lines.joined(separator: "\n")
    }
}
