import BSON
import FSM
import Foundation
import Storage
import TelegramAPI

/// One monitor's own settings, from its item view: a screen of fields, a prompt per field
/// (`MonitorSettings:value`, the monitor and field in the FSM data), reset to the default, and the
/// HTTP toggles. A refused value keeps the user at the prompt and changes nothing stored.
enum MonitorSettingsDialog {
    static let value = FSMState("MonitorSettings", "value")

    static func limits(_ c: BotContext) -> MonitorSettingLimits {
        MonitorSettingLimits(
            minInterval: c.dependencies.settings.minCheckInterval, maxTimeout: c.dependencies.settings.checkTimeout)
    }

    static func show(_ c: BotContext) async throws {
        guard let monitor = try await MonitoringHandlers.ownedMonitor(c, prefix: CallbackData.monitorSettings) else {
            return
        }
        // The prompt's cancel button lands here: the user leaves the prompt.
        if try await c.fsm.getState() == value.name { try await c.fsm.clear() }
        c.answer()
        try await showScreen(c, monitor, edit: true)
    }

    static func showScreen(_ c: BotContext, _ monitor: MonitorRecord, edit: Bool) async throws {
        let text = MonitorSettingsView.text(monitor, c)
        let keyboard = try Keyboards.monitorSettings(monitor, c.texts)
        if edit {
            try await c.show(text, keyboard: keyboard)
        } else {
            try await c.reply(text, markup: .inline(keyboard))
        }
    }

    static func ask(_ c: BotContext) async throws {
        guard let (field, id) = CallbackData.fieldAndMonitor(c.callback?.data, prefix: CallbackData.monitorSettingAsk),
            let monitor = try await c.dependencies.catalog.owned(id, by: c.from.id)
        else {
            c.answer(c.texts.notFound, alert: true)
            return
        }
        c.answer()
        try await c.fsm.set(value, data: ["monitor_id": .string(monitor.id.hex), "field": .string(field.rawValue)])
        try await c.reply(
            c.texts.askSetting(field, limits: limits(c), current: MonitorSettingsView.current(field, monitor, c)),
            markup: .inline(try Keyboards.settingPrompt(field, monitor, c.texts)))
    }

    static func reset(_ c: BotContext) async throws {
        guard
            let (field, id) = CallbackData.fieldAndMonitor(c.callback?.data, prefix: CallbackData.monitorSettingReset),
            let monitor = try await c.dependencies.catalog.owned(id, by: c.from.id)
        else {
            c.answer(c.texts.notFound, alert: true)
            return
        }
        if try await c.fsm.getState() == value.name { try await c.fsm.clear() }
        c.answer(c.texts.settingReset)
        try await save(c, monitor, changes(clearing: field, of: monitor), edit: true)
    }

    static func toggleMethod(_ c: BotContext) async throws {
        guard let monitor = try await MonitoringHandlers.ownedMonitor(c, prefix: CallbackData.monitorMethod) else {
            return
        }
        var options = monitor.options
        options.method = options.method == "HEAD" ? nil : "HEAD"
        c.answer(c.texts.settingSaved)
        try await save(c, monitor, MonitorChanges(options: options), edit: true)
    }

    static func toggleKeywordMode(_ c: BotContext) async throws {
        guard let monitor = try await MonitoringHandlers.ownedMonitor(c, prefix: CallbackData.monitorKeywordMode)
        else { return }
        var options = monitor.options
        options.keywordAbsent = options.keywordAbsent == true ? nil : true
        c.answer(c.texts.settingSaved)
        try await save(c, monitor, MonitorChanges(options: options), edit: true)
    }

    /// The value typed at the prompt.
    static func receive(_ c: BotContext) async throws {
        guard let text = c.text else { return }
        let data = try await c.fsm.getData()
        guard let field = data["field"]?.stringValue.flatMap(MonitorSettingField.init(rawValue:)),
            let id = data["monitor_id"]?.stringValue.flatMap(ObjectId.init(hex:)),
            let monitor = try await c.dependencies.catalog.owned(id, by: c.from.id)
        else {
            try await c.fsm.clear()
            try await c.reply(c.texts.notFound)
            return
        }
        // A header's value is a secret: the message that carried it goes, whether it was accepted or not.
        if field == .header, let message = c.message {
            _ = try? await c.api.deleteMessage(chatID: c.chatID, messageID: message.messageID)
        }
        let parsed: MonitorSettingValue
        do {
            parsed = try MonitorSettingInput.parse(text, field: field, limits: limits(c))
        } catch {
            try await c.reply(
                c.texts.settingError(error), markup: .inline(try Keyboards.settingPrompt(field, monitor, c.texts)))
            return
        }
        try await c.fsm.clear()
        if case .text(_, let from?) = parsed { try await c.reply(c.texts.keywordTruncated(from: from)) }
        try await c.reply(c.texts.settingSaved)
        try await save(c, monitor, changes(setting: field, to: parsed, of: monitor), edit: false)
    }

    private static func save(_ c: BotContext, _ monitor: MonitorRecord, _ changes: MonitorChanges, edit: Bool)
        async throws
    {
        guard let updated = try await c.dependencies.catalog.update(monitor.id, ownerID: c.from.id, changes) else {
            try await c.reply(c.texts.notFound)
            return
        }
        try await showScreen(c, updated, edit: edit)
    }

    static func changes(setting field: MonitorSettingField, to value: MonitorSettingValue, of monitor: MonitorRecord)
        -> MonitorChanges
    {
        var options = monitor.options
        switch (field, value) {
        case (.interval, .number(let n)): return MonitorChanges(intervalSeconds: .some(n))
        case (.keyword, .text(let keyword, _)): return MonitorChanges(keyword: .some(keyword))
        case (.failures, .number(let n)): options.failuresBeforeAlert = n
        case (.timeout, .number(let n)): options.timeoutSeconds = n
        case (.slow, .number(let n)): options.slowThresholdMs = n
        case (.loss, .number(let n)): options.packetLossPercent = n
        case (.status, .text(let status, _)): options.expectedStatus = status
        case (.header, .header(let header)): options.header = header
        default: break
        }
        return MonitorChanges(options: options)
    }

    static func changes(clearing field: MonitorSettingField, of monitor: MonitorRecord) -> MonitorChanges {
        var options = monitor.options
        switch field {
        case .interval: return MonitorChanges(intervalSeconds: .some(nil))
        case .keyword:
            options.keywordAbsent = nil
            return MonitorChanges(options: options, keyword: .some(nil))
        case .failures: options.failuresBeforeAlert = nil
        case .timeout: options.timeoutSeconds = nil
        case .slow: options.slowThresholdMs = nil
        case .loss: options.packetLossPercent = nil
        case .status: options.expectedStatus = nil
        case .header: options.header = nil
        }
        return MonitorChanges(options: options)
    }
}
