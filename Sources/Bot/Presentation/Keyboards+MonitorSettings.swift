import Storage
import TelegramAPI

extension Keyboards {
    /// One button per field of the monitor's kind, two a row; HTTP adds the method and keyword-mode toggles.
    static func monitorSettings(_ monitor: MonitorRecord, _ t: Texts) throws -> InlineKeyboardMarkup {
        let id = monitor.id.hex
        let fields = MonitorSettingField.fields(for: monitor.kind)
        var rows: [[InlineKeyboardButton]] = []
        var row: [InlineKeyboardButton] = []
        for field in fields {
            row.append(try button(t.fieldName(field), CallbackData.monitorSettingAsk + "\(field.rawValue):\(id)"))
            if row.count == 2 {
                rows.append(row)
                row = []
            }
        }
        if !row.isEmpty { rows.append(row) }
        if monitor.kind == .http {
            rows.append([
                try button(t.methodButton(monitor.options.method ?? "GET"), CallbackData.monitorMethod + id),
                try button(
                    t.keywordModeButton(absent: monitor.options.keywordAbsent ?? false),
                    CallbackData.monitorKeywordMode + id),
            ])
        }
        rows.append([try button(t.backButton, CallbackData.open + id)])
        return InlineKeyboardMarkup(rows)
    }

    /// Under a prompt for one field: back to the default, or cancel.
    static func settingPrompt(_ field: MonitorSettingField, _ monitor: MonitorRecord, _ t: Texts) throws
        -> InlineKeyboardMarkup
    {
        InlineKeyboardMarkup([
            [
                try button(t.defaultButton, CallbackData.monitorSettingReset + "\(field.rawValue):\(monitor.id.hex)"),
                try button(t.cancelButton, CallbackData.monitorSettings + monitor.id.hex),
            ]
        ])
    }
}
