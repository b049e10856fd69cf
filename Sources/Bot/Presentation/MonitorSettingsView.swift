import Foundation
import Storage
import TelegramAPI

/// The values the per-monitor settings screen shows: the monitor's own, else the default it follows.
enum MonitorSettingsView {
    static func text(_ monitor: MonitorRecord, _ c: BotContext) -> String {
        var lines = [c.texts.monitorSettingsTitle(monitor)]
        for field in MonitorSettingField.fields(for: monitor.kind) {
            lines.append("• \(c.texts.fieldName(field)): \(current(field, monitor, c))")
        }
        if monitor.kind == .http {
            let method = monitor.options.method ?? "GET"
            var line = "• " + c.texts.methodButton(method)
            if method == "HEAD", monitor.keyword != nil { line += " " + c.texts.headKeywordNote }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// One field's value as shown (HTML-escaped; a header's value masked).
    static func current(_ field: MonitorSettingField, _ m: MonitorRecord, _ c: BotContext) -> String {
        let t = c.texts
        let s = c.dependencies.settings
        let user = c.user?.settings ?? UserSettings()
        func fallback(_ value: String) -> String { "\(value) (\(t.ownerDefault))" }
        let off = t.pick("выкл.", "off")
        switch field {
        case .interval:
            if let own = m.intervalSeconds { return MonitorFormatting.duration(max(own, s.minCheckInterval), t) }
            let owner = max(user.checkIntervalSeconds ?? s.defaultCheckInterval, s.minCheckInterval)
            return fallback(MonitorFormatting.duration(owner, t))
        case .failures:
            if let own = m.options.failuresBeforeAlert { return "\(own)" }
            return fallback("\(user.failuresBeforeAlert ?? s.defaultFailuresBeforeAlert)")
        case .timeout:
            if let own = m.options.timeoutSeconds { return "\(min(own, s.checkTimeout)) \(t.pick("с", "s"))" }
            return fallback("\(s.checkTimeout) \(t.pick("с", "s"))")
        case .slow: return m.options.slowThresholdMs.map { "\($0) \(t.msUnit)" } ?? off
        case .loss: return m.options.packetLossPercent.map { "\($0) %" } ?? off
        case .keyword:
            guard let keyword = m.keyword else { return "—" }
            let mode = t.keywordModeButton(absent: m.options.keywordAbsent ?? false)
            return "\(HTML.code(keyword)) (\(HTML.escape(mode)))"
        case .status: return m.options.parsedExpectedStatus.map { HTML.code($0.description) } ?? fallback("200-399")
        case .header:
            guard let header = m.options.header else { return "—" }
            return HTML.code("\(header.name): \(header.maskedValue)")
        }
    }
}
