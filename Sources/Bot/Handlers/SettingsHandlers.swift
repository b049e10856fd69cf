import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// /settings: language, failures before an alert, check interval, mute.
enum SettingsHandlers {
    static let failureChoices = [1, 2, 3, 5, 10]
    static let intervalChoices = [30, 60, 300, 900]
    static let muteChoices = [60, 480, 1440]
    static let reminderChoices = [1, 4, 12, 24]

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
                    "🔕 Уведомления выключены до \(MonitorFormatting.timestamp(until, t))",
                    "🔕 Alerts muted until \(MonitorFormatting.timestamp(until, t))"))
        } else {
            lines.append(t.pick("🔔 Уведомления включены", "🔔 Alerts on"))
        }
        if let hours = user.settings.reminderHours, hours > 0 {
            let every = MonitorFormatting.duration(hours * 3600, t)
            lines.append(
                t.pick("⏰ Напоминать о том, что не работает: каждые \(every)", "⏰ Still-down reminders: every \(every)")
            )
        } else {
            lines.append(t.pick("⏰ Напоминания выключены", "⏰ Reminders off"))
        }
        let zone = t.zone
        lines.append(
            t.pick(
                "🕒 Часовой пояс: \(HTML.escape(zone.identifier)) (\(zone.abbreviation(at: Date())))",
                "🕒 Time zone: \(HTML.escape(zone.identifier)) (\(zone.abbreviation(at: Date())))"))
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
        // Words on every button: "⚠️ после 3 сбоев", "⏱ раз в 1 мин", "🔕 тишина 1 ч".
        let failureButtons = try failureChoices.map {
            try Keyboards.button(mark($0 == failures, failureLabel($0, t)), CallbackData.settingsFailures + String($0))
        }
        rows.append(Array(failureButtons.prefix(3)))
        rows.append(Array(failureButtons.dropFirst(3)))
        rows.append(
            try allowedIntervals(c).map {
                try Keyboards.button(
                    mark(
                        $0 == interval,
                        t.pick(
                            "⏱ раз в \(MonitorFormatting.duration($0, t))",
                            "⏱ every \(MonitorFormatting.duration($0, t))")),
                    CallbackData.settingsInterval + String($0))
            })
        var mute = try muteChoices.map {
            try Keyboards.button(
                t.pick(
                    "🔕 тишина \(MonitorFormatting.duration($0 * 60, t))",
                    "🔕 mute \(MonitorFormatting.duration($0 * 60, t))"),
                CallbackData.settingsMute + String($0))
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
        let reminder = user.settings.reminderHours ?? 0
        rows.append(
            [
                try Keyboards.button(
                    mark(reminder == 0, t.pick("⏰ не напоминать", "⏰ no reminders")),
                    CallbackData.settingsReminder + "0")
            ]
                + (try reminderChoices.map {
                    try Keyboards.button(
                        mark(reminder == $0, t.pick("⏰ каждые \($0) ч", "⏰ every \($0) h")),
                        CallbackData.settingsReminder + String($0))
                }))
        rows.append([
            try Keyboards.button(t.pick("🕒 Сменить часовой пояс", "🕒 Change time zone"), CallbackData.settingsZone)
        ])
        return InlineKeyboardMarkup(rows)
    }

    static func failureLabel(_ n: Int, _ t: Texts) -> String {
        t.pick(
            "⚠️ после \(n) \(HumanFormat.ruPlural(n, "сбоя", "сбоев", "сбоев"))",
            "⚠️ after \(n) \(n == 1 ? "failure" : "failures")")
    }

    static func change(_ c: BotContext) async throws {
        guard var user = c.user, let data = c.callback?.data else { return }
        var c = c
        let users = c.dependencies.repositories.users
        if data.hasPrefix(CallbackData.settingsLanguage) {
            let language = Language(code: String(data.dropFirst(CallbackData.settingsLanguage.count)))
            try await users.setLanguage(user.id, language.rawValue)
            user.language = language.rawValue
            c.texts = Texts(language: language, zone: c.texts.zone)
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
        } else if let hours = CallbackData.int(data, prefix: CallbackData.settingsReminder),
            hours == 0 || reminderChoices.contains(hours)
        {
            user.settings.reminderHours = hours == 0 ? nil : hours
            try await users.updateSettings(user.id, user.settings)
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
