import FSM
import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// The user's time zone: typed as an IANA name ("Europe/Moscow", any letter case) or picked from the
/// suggestions a name that does not exist gets. Every time in the chat is then written in it.
enum TimeZoneSettings {
    static let typing = FSMState("Settings", "zone")

    static func start(_ c: BotContext) async throws {
        c.answer()
        try await c.fsm.set(typing, data: [:])
        try await c.reply(
            c.texts.pick(
                "Отправьте часовой пояс, например <code>Europe/Moscow</code>, <code>Asia/Yekaterinburg</code> или <code>UTC</code>.",
                "Send a time zone, for example <code>Europe/Moscow</code>, <code>America/New_York</code> or <code>UTC</code>."
            ),
            markup: .inline(try Keyboards.cancelOnly(c.texts)))
    }

    static func receive(_ c: BotContext) async throws {
        guard let text = c.text else { return }
        guard let zone = ChatTimeZone(named: text) else {
            let suggestions = ChatTimeZone.suggestions(for: text)
            var rows = try suggestions.map { [try Keyboards.button($0, CallbackData.settingsZoneChoice + $0)] }
            rows.append([try Keyboards.button(c.texts.cancelButton, CallbackData.cancel)])
            let list = suggestions.isEmpty ? "" : c.texts.pick(" Может быть, один из этих?", " Perhaps one of these?")
            try await c.reply(
                c.texts.pick(
                    "Такого часового пояса нет: \(HTML.code(TelegramText.truncated(text, toUTF16: 64))).\(list)",
                    "There is no such time zone: \(HTML.code(TelegramText.truncated(text, toUTF16: 64))).\(list)"),
                markup: .inline(InlineKeyboardMarkup(rows)))
            return
        }
        try await c.fsm.clear()
        try await save(c, zone)
    }

    static func choose(_ c: BotContext) async throws {
        guard let name = c.callback?.data?.dropFirst(CallbackData.settingsZoneChoice.count),
            let zone = ChatTimeZone(named: String(name))
        else {
            c.answer(c.texts.outdatedButton)
            return
        }
        try await c.fsm.clear()
        c.answer()
        try await save(c, zone)
    }

    private static func save(_ c: BotContext, _ zone: ChatTimeZone) async throws {
        guard var user = c.user else { return }
        user.settings.timeZone = zone.identifier
        try await c.dependencies.repositories.users.updateSettings(user.id, user.settings)
        var c = c
        c.user = user
        c.texts = Texts(language: c.texts.language, zone: zone)
        try await c.reply(
            c.texts.pick(
                "🕒 Часовой пояс: \(HTML.escape(zone.identifier)). Сейчас \(MonitorFormatting.minute(Date(), c.texts)).",
                "🕒 Time zone: \(HTML.escape(zone.identifier)). It is \(MonitorFormatting.minute(Date(), c.texts)) now.")
        )
        try await c.reply(SettingsHandlers.text(user, c), markup: .inline(try SettingsHandlers.keyboard(user, c)))
    }
}
