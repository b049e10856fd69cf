import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// /settings: language, failures before an alert, check interval, mute.
enum SettingsHandlers {
    static let failureChoices = [1, 2, 3, 5, 10]
    static let intervalChoices = [30, 60, 300, 900]
    static let muteChoices = [60, 480, 1440]

    static func show(_ c: BotContext) async throws {
        if c.message != nil { try await c.fsm.clear() }
        c.answer()
        guard let user = c.user else { return }
        try await c.show(text(user, c), keyboard: try keyboard(user, c))
    }

    /// The interval choices MIN_CHECK_INTERVAL leaves (at least the minimum itself).
    static func allowedIntervals(_ c: BotContext) -> [Int] {
        let minimum = c.dependencies.settings.minCheckInterval
        let allowed = intervalChoices.filter { $0 >= minimum }
        return allowed.isEmpty ? [minimum] : allowed
    }

    /// The interval the user's monitors are checked at: their choice, never under MIN_CHECK_INTERVAL.
    static func effectiveInterval(_ user: UserRecord, _ c: BotContext) -> Int {
        let s = c.dependencies.settings
        return max(user.settings.checkIntervalSeconds ?? s.defaultCheckInterval, s.minCheckInterval)
    }

    static func text(_ user: UserRecord, _ c: BotContext) -> String {
        let t = c.texts
        let s = c.dependencies.settings
        let failures = user.settings.failuresBeforeAlert ?? s.defaultFailuresBeforeAlert
        let interval = effectiveInterval(user, c)
        var lines = [t.pick("<b>Настройки</b>", "<b>Settings</b>")]
        lines.append(t.pick("Язык: Русский", "Language: English"))
        lines.append(
            t.pick(
                "Тревога после неудачных проверок подряд: \(failures)",
                "Alert after failed checks in a row: \(failures)"))
        lines.append(
            t.pick(
                "Интервал проверки: \(MonitorFormatting.duration(interval, t))",
                "Check interval: \(MonitorFormatting.duration(interval, t))"))
        lines.append(
            (user.settings.certificateWarnings ?? true)
                ? t.pick(
                    "📜 Предупреждать об истечении сертификатов за 30/14/7/1 дн.: да",
                    "📜 Warn of certificate expiry 30/14/7/1 days ahead: on")
                : t.pick(
                    "📜 Предупреждать об истечении сертификатов: нет", "📜 Warn of certificate expiry: off"))
        if let until = user.settings.mutedUntil, until > Date() {
            lines.append(
                t.pick(
                    "🔕 Уведомления выключены до \(MonitorFormatting.timestamp(until))",
                    "🔕 Alerts muted until \(MonitorFormatting.timestamp(until))"))
        } else {
            lines.append(t.pick("🔔 Уведомления включены", "🔔 Alerts on"))
        }
        return lines.joined(separator: "\n")
    }

    static func keyboard(_ user: UserRecord, _ c: BotContext) throws -> InlineKeyboardMarkup {
        let t = c.texts
        let s = c.dependencies.settings
        let failures = user.settings.failuresBeforeAlert ?? s.defaultFailuresBeforeAlert
        let interval = effectiveInterval(user, c)
        func mark(_ on: Bool, _ label: String) -> String { on ? "• \(label) •" : label }
        var rows: [[InlineKeyboardButton]] = []
        rows.append([
            try Keyboards.button(mark(t.language == .ru, "🇷🇺 Русский"), CallbackData.settingsLanguage + "ru"),
            try Keyboards.button(mark(t.language == .en, "🇬🇧 English"), CallbackData.settingsLanguage + "en"),
        ])
        rows.append(
            try failureChoices.map {
                try Keyboards.button(mark($0 == failures, "⚠️\($0)"), CallbackData.settingsFailures + String($0))
            })
        rows.append(
            try allowedIntervals(c).map {
                try Keyboards.button(
                    mark($0 == interval, "⏱\(MonitorFormatting.duration($0, t))"),
                    CallbackData.settingsInterval + String($0))
            })
        var mute = try muteChoices.map {
            try Keyboards.button("🔕 \(MonitorFormatting.duration($0 * 60, t))", CallbackData.settingsMute + String($0))
        }
        if user.settings.isMuted() {
            mute.append(try Keyboards.button(t.pick("🔔 Включить", "🔔 Unmute"), CallbackData.settingsMute + "0"))
        }
        rows.append(mute)
        let certificates = user.settings.certificateWarnings ?? true
        rows.append([
            try Keyboards.button(
                certificates
                    ? t.pick("📜 Выключить предупреждения о сертификатах", "📜 Turn certificate warnings off")
                    : t.pick("📜 Включить предупреждения о сертификатах", "📜 Turn certificate warnings on"),
                CallbackData.settingsCertificates + (certificates ? "0" : "1"))
        ])
        return InlineKeyboardMarkup(rows)
    }

    static func change(_ c: BotContext) async throws {
        guard var user = c.user, let data = c.callback?.data else { return }
        var c = c
        let users = c.dependencies.repositories.users
        if data.hasPrefix(CallbackData.settingsLanguage) {
            let language = Language(code: String(data.dropFirst(CallbackData.settingsLanguage.count)))
            try await users.setLanguage(user.id, language.rawValue)
            user.language = language.rawValue
            c.texts = Texts(language: language)
        } else if let n = CallbackData.int(data, prefix: CallbackData.settingsFailures), failureChoices.contains(n) {
            user.settings.failuresBeforeAlert = n
            try await users.updateSettings(user.id, user.settings)
        } else if let n = CallbackData.int(data, prefix: CallbackData.settingsInterval),
            n < c.dependencies.settings.minCheckInterval
        {
            // An old keyboard, or a forged press: MIN_CHECK_INTERVAL is the floor.
            c.answer(c.texts.intervalTooShort(c.dependencies.settings.minCheckInterval), alert: true)
            return
        } else if let n = CallbackData.int(data, prefix: CallbackData.settingsInterval), allowedIntervals(c).contains(n)
        {
            user.settings.checkIntervalSeconds = n
            try await users.updateSettings(user.id, user.settings)
        } else if let flag = CallbackData.int(data, prefix: CallbackData.settingsCertificates), flag == 0 || flag == 1 {
            // nil is "on" (the default): only "off" is written down.
            user.settings.certificateWarnings = flag == 1 ? nil : false
            try await users.updateSettings(user.id, user.settings)
        } else if let minutes = CallbackData.int(data, prefix: CallbackData.settingsMute),
            minutes == 0 || muteChoices.contains(minutes)
        {
            user.settings.mutedUntil = minutes == 0 ? nil : Date().addingTimeInterval(Double(minutes) * 60)
            try await users.updateSettings(user.id, user.settings)
            // Alerts held for the old mute's end are looked at again: sent now, or held to the new end.
            try await c.dependencies.repositories.outbox.releaseHeld(chatID: user.id, now: Date())
        } else {
            c.answer(c.texts.outdatedButton)
            return
        }
        c.answer(c.texts.pick("Сохранено", "Saved"))
        c.user = user
        try await c.show(text(user, c), keyboard: try keyboard(user, c))
        if data.hasPrefix(CallbackData.settingsLanguage) {
            // The reply keyboard's labels change with the language.
            try await c.reply(c.texts.pick("Язык: Русский", "Language: English"), markup: Keyboards.mainMenu(c.texts))
        }
    }
}
