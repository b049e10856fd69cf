import BSON
import FSM
import Foundation
import Storage
import TelegramAPI

/// /monitoring: the list, one monitor's view, pause/resume, delete with confirmation.
enum MonitoringHandlers {
    static func list(_ c: BotContext) async throws {
        if c.message != nil { try await c.fsm.clear() }
        try await showList(c, page: CallbackData.int(c.callback?.data, prefix: CallbackData.listPage) ?? 0)
    }

    static func showList(_ c: BotContext, page requested: Int) async throws {
        c.answer()
        let monitors = try await c.dependencies.catalog.list(ownerID: c.from.id)
        let size = c.dependencies.settings.pageSize
        let pages = max(1, (monitors.count + size - 1) / size)
        let page = min(max(requested, 0), pages - 1)
        let slice = Array(monitors.dropFirst(page * size).prefix(size))
        var text = c.texts.listTitle(count: monitors.count, limit: c.dependencies.catalog.limit)
        let now = Date()
        let windows = c.user?.settings.maintenance ?? []
        text +=
            "\n\n"
            + (slice.isEmpty
                ? c.texts.listEmpty
                : slice.map { MonitorFormatting.listLine($0, c.texts, ownerWindows: windows, now: now) }.joined(
                    separator: "\n"))
        try await c.show(
            text,
            keyboard: try Keyboards.list(
                slice, page: page, pages: pages, exportable: !monitors.isEmpty, c.texts, ownerWindows: windows,
                now: now))
    }

    /// The monitor named by the button, if this user owns it; otherwise tells them and returns nil.
    static func ownedMonitor(_ c: BotContext, prefix: String) async throws -> MonitorRecord? {
        guard let id = CallbackData.monitorID(c.callback?.data, prefix: prefix),
            let monitor = try await c.dependencies.catalog.owned(id, by: c.from.id)
        else {
            c.answer(c.texts.notFound, alert: true)
            return nil
        }
        return monitor
    }

    static func open(_ c: BotContext) async throws {
        guard let monitor = try await ownedMonitor(c, prefix: CallbackData.open) else { return }
        c.answer()
        try await showItem(c, monitor)
    }

    static func showItem(_ c: BotContext, _ monitor: MonitorRecord) async throws {
        try await c.show(try await itemText(c, monitor), keyboard: try Keyboards.item(monitor, c.texts))
    }

    static func itemText(_ c: BotContext, _ m: MonitorRecord) async throws -> String {
        let t = c.texts
        let now = Date()
        let ownerWindows = c.user?.settings.maintenance ?? []
        var lines = [
            "\(MonitorFormatting.statusEmoji(m, ownerWindows: ownerWindows, now: now)) \(HTML.bold(MonitorFormatting.title(m)))"
        ]
        lines.append("\(t.labelKind): \(t.kindName(m.kind))")
        lines.append("\(t.labelTarget): \(HTML.code(m.target))")
        var status = "\(t.labelStatus): \(t.statusName(m))"
        if let since = m.statusSince, m.enabled, m.status != .unknown {
            status +=
                " \(t.labelSince) \(MonitorFormatting.timestamp(since, t)) (\(MonitorFormatting.duration(Int(now.timeIntervalSince(since)), t)))"
        }
        lines.append(status)
        if let last = m.lastCheck {
            var check = "\(t.labelLastCheck): \(MonitorFormatting.ago(last.at, now: now, t))"
            if let rtt = last.rttMs { check += ", \(MonitorFormatting.roundTrip(rtt, t))" }
            if let code = last.httpStatus { check += ", HTTP \(code)" }
            if let error = last.error, !last.ok { check += ", \(HTML.escape(error))" }
            lines.append(check)
        }
        if let since = m.slow.since, m.slow.active, m.status == .up {
            lines.append(
                "🟡 \(t.statusSlow) \(t.labelSince) \(MonitorFormatting.timestamp(since, t)) (\(MonitorFormatting.duration(Int(now.timeIntervalSince(since)), t)))"
            )
        }
        if let certificate = m.certificate { lines.append(t.certificateLine(certificate, now: now)) }
        if m.enabled, let end = MonitorFormatting.maintenanceEnd(m, ownerWindows: ownerWindows, now: now) {
            lines.append(t.inMaintenanceUntil(end))
        }
        if let ack = m.currentAck { lines.append(t.acknowledgedLine(ack)) }
        if let parentID = m.dependsOn {
            lines.append(t.dependsLine(try await c.dependencies.catalog.owned(parentID, by: m.ownerID)))
        }
        let history = c.dependencies.repositories.checks
        let windows: [(label: String, days: Double)] = [
            (t.pick("24 ч", "24h"), 1), (t.pick("7 д", "7d"), 7), (t.pick("30 д", "30d"), 30),
        ]
        let uptimes = try await history.uptime(
            monitorID: m.id, since: windows.map { now.addingTimeInterval(-$0.days * 86_400) })
        let figures = zip(windows, uptimes).map { "\($0.label) \(MonitorFormatting.uptime($1, t))" }
        lines.append("\(t.labelUptime): " + figures.joined(separator: " · "))
        let recent = try await history.recent(monitorID: m.id, limit: 20)
        if !recent.isEmpty {
            lines.append("\(t.labelRecent): <code>\(MonitorFormatting.sparkline(recent.reversed()))</code>")
        }
        return lines.joined(separator: "\n")
    }

    static func pause(_ c: BotContext) async throws { try await setEnabled(c, false, prefix: CallbackData.pause) }
    static func resume(_ c: BotContext) async throws { try await setEnabled(c, true, prefix: CallbackData.resume) }

    static func setEnabled(_ c: BotContext, _ enabled: Bool, prefix: String) async throws {
        guard let monitor = try await ownedMonitor(c, prefix: prefix) else { return }
        // A monitor paused because the policy changed stays paused while the policy refuses it.
        if enabled, let refusal = await c.policyRefusal(kind: monitor.kind, target: monitor.target) {
            c.answer()
            try await c.reply(c.texts.resumeDenied(refusal))
            return
        }
        guard
            let updated = try await c.dependencies.catalog.update(
                monitor.id, ownerID: c.from.id, MonitorChanges(enabled: enabled))
        else {
            c.answer(c.texts.notFound, alert: true)
            return
        }
        c.answer(enabled ? c.texts.resumed : c.texts.paused)
        try await showItem(c, updated)
    }

    static func askDelete(_ c: BotContext) async throws {
        guard let monitor = try await ownedMonitor(c, prefix: CallbackData.askDelete) else { return }
        c.answer()
        try await c.show(c.texts.confirmDelete(monitor), keyboard: try Keyboards.confirmDelete(monitor, c.texts))
    }

    static func confirmDelete(_ c: BotContext) async throws {
        guard let monitor = try await ownedMonitor(c, prefix: CallbackData.confirmDelete) else { return }
        guard try await c.dependencies.catalog.delete(monitor.id, ownerID: c.from.id) else {
            c.answer(c.texts.notFound, alert: true)
            return
        }
        c.answer(c.texts.deletedToast(monitor.name))
        try await showList(c, page: 0)
    }
}
