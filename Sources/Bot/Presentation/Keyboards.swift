import BSON
import Foundation
import Storage
import Targets
import TelegramAPI

enum Keyboards {
    static func button(_ text: String, _ data: String) throws -> InlineKeyboardButton {
        try InlineKeyboardButton.callback(text, data: data)
    }

    static func mainMenu(_ t: Texts) -> ReplyMarkup {
        .keyboard(
            ReplyKeyboardMarkup([
                [KeyboardButton(t.menuMonitoring)], [KeyboardButton(t.menuSettings), KeyboardButton(t.menuHelp)],
            ]))
    }

    static func sharePhone(_ t: Texts) -> ReplyMarkup {
        .keyboard(ReplyKeyboardMarkup([[KeyboardButton.requestingContact(t.sharePhoneButton)]], oneTimeKeyboard: true))
    }

    static func cancelOnly(_ t: Texts) throws -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([[try button(t.cancelButton, CallbackData.cancel)]])
    }

    static func chooseKind(_ t: Texts) throws -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([
            [try button(t.kindDevice, CallbackData.kind + TargetKind.icmp.rawValue)],
            [try button(t.kindSite, CallbackData.kind + TargetKind.http.rawValue)],
            [try button(t.kindTCP, CallbackData.kind + TargetKind.tcp.rawValue)],
            [try button(t.kindDNS, CallbackData.kind + TargetKind.dns.rawValue)],
            [try button(t.cancelButton, CallbackData.cancel)],
        ])
    }

    static func skipName(_ t: Texts) throws -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([
            [try button(t.skipButton, CallbackData.skipName), try button(t.cancelButton, CallbackData.cancel)]
        ])
    }

    /// - Parameters:
    ///   - exportable: the user has monitors: the export buttons are offered.
    ///   - ownerWindows: the owner's maintenance of all their monitors (🛠 on each while it lasts).
    static func list(
        _ page: [MonitorRecord], page index: Int, pages: Int, exportable: Bool = false, _ t: Texts,
        ownerWindows: [MaintenanceWindow] = [], now: Date = Date()
    ) throws -> InlineKeyboardMarkup {
        var rows = try page.map { monitor in
            [
                try button(
                    "\(MonitorFormatting.statusEmoji(monitor, ownerWindows: ownerWindows, now: now)) \(TelegramText.truncated(monitor.name, toUTF16: MonitorFormatting.listNameLength))",
                    CallbackData.open + monitor.id.hex)
            ]
        }
        if pages > 1 {
            rows.append([
                try button(
                    index > 0 ? "«" : " ", index > 0 ? CallbackData.listPage + String(index - 1) : CallbackData.noop),
                try button("\(index + 1)/\(pages)", CallbackData.noop),
                try button(
                    index < pages - 1 ? "»" : " ",
                    index < pages - 1 ? CallbackData.listPage + String(index + 1) : CallbackData.noop),
            ])
        }
        rows.append([
            try button(t.addButton, CallbackData.add),
            try button(t.maintenanceAllButton, CallbackData.maintenanceMenu + CallbackData.allMonitors),
        ])
        if exportable {
            rows.append([
                try button(t.exportJSONButton, CallbackData.export + MonitorExport.Format.json.rawValue),
                try button(t.exportCSVButton, CallbackData.export + MonitorExport.Format.csv.rawValue),
            ])
        }
        return InlineKeyboardMarkup(rows)
    }

    static func item(_ monitor: MonitorRecord, _ t: Texts) throws -> InlineKeyboardMarkup {
        let id = monitor.id.hex
        return InlineKeyboardMarkup([
            [
                try button(t.renameButton, CallbackData.rename + id),
                try button(t.retargetButton, CallbackData.retarget + id),
            ],
            [
                monitor.enabled
                    ? try button(t.pauseButton, CallbackData.pause + id)
                    : try button(t.resumeButton, CallbackData.resume + id),
                try button(t.deleteButton, CallbackData.askDelete + id),
            ],
            [
                try button(t.monitorSettingsButton, CallbackData.monitorSettings + id),
                try button(t.maintenanceButton, CallbackData.maintenanceMenu + id),
            ],
            [
                try button(t.dependsButton, CallbackData.dependsMenu + id),
                try button(t.backButton, CallbackData.listPage + "0"),
            ],
        ])
    }

    static func confirmDelete(_ monitor: MonitorRecord, _ t: Texts) throws -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([
            [
                try button(t.confirmDeleteButton, CallbackData.confirmDelete + monitor.id.hex),
                try button(t.cancelButton, CallbackData.open + monitor.id.hex),
            ]
        ])
    }

    static func bulkDone(_ t: Texts) throws -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([
            [try button(t.doneButton, CallbackData.bulkDone), try button(t.cancelButton, CallbackData.cancel)]
        ])
    }

    static func afterAdd(_ monitor: MonitorRecord, _ t: Texts) throws -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([
            [
                try button("🔎 \(monitor.name)", CallbackData.open + monitor.id.hex),
                try button(t.backButton, CallbackData.listPage + "0"),
            ]
        ])
    }
}
