import BSON
import Storage
import TelegramAPI

/// Callback data of every button: short prefixes (Telegram allows 64 bytes; an ObjectId takes 24).
enum CallbackData {
    static let listPage = "ml:"  // ml:<page>
    static let open = "mo:"  // mo:<id>
    static let add = "add"
    static let kind = "mk:"  // mk:icmp | mk:http
    static let skipName = "skip"
    static let cancel = "cancel"
    static let rename = "mr:"
    static let retarget = "mt:"
    static let pause = "mp:"
    static let resume = "mu:"
    static let askDelete = "md:"
    static let confirmDelete = "mD:"
    static let settingsLanguage = "sl:"  // sl:ru
    static let settingsFailures = "sf:"  // sf:3
    static let settingsInterval = "si:"  // si:60
    static let settingsMute = "sm:"  // sm:<minutes>, sm:0 = unmute
    static let noop = "noop"
    // Admin buttons carry the target's Telegram id (at most 20 digits): well under 64 bytes.
    static let userApprove = "ua:"  // ua:<user id>
    static let userDeny = "ud:"
    static let userRevoke = "ur:"
    static let userMakeAdmin = "uA:"
    static let userOpen = "uo:"
    static let usersPage = "ul:"  // ul:<page>

    /// The ObjectId after a prefix, or nil for anything malformed (buttons can be forged).
    static func monitorID(_ data: String?, prefix: String) -> ObjectId? {
        guard let data, data.hasPrefix(prefix) else { return nil }
        return ObjectId(hex: String(data.dropFirst(prefix.count)))
    }

    static func userID(_ data: String?, prefix: String) -> Int64? {
        guard let data, data.hasPrefix(prefix) else { return nil }
        return Int64(data.dropFirst(prefix.count))
    }

    static func int(_ data: String?, prefix: String) -> Int? {
        guard let data, data.hasPrefix(prefix) else { return nil }
        return Int(data.dropFirst(prefix.count))
    }
}

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
            [try button(t.kindDevice, CallbackData.kind + MonitorKind.icmp.rawValue)],
            [try button(t.kindSite, CallbackData.kind + MonitorKind.http.rawValue)],
            [try button(t.cancelButton, CallbackData.cancel)],
        ])
    }

    static func skipName(_ t: Texts) throws -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([
            [try button(t.skipButton, CallbackData.skipName), try button(t.cancelButton, CallbackData.cancel)]
        ])
    }

    static func list(_ page: [MonitorRecord], page index: Int, pages: Int, _ t: Texts) throws -> InlineKeyboardMarkup {
        var rows = try page.map { monitor in
            [
                try button(
                    "\(MonitorFormatting.statusEmoji(monitor)) \(monitor.name)", CallbackData.open + monitor.id.hex)
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
        rows.append([try button(t.addButton, CallbackData.add)])
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
            [try button(t.backButton, CallbackData.listPage + "0")],
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

    static func afterAdd(_ monitor: MonitorRecord, _ t: Texts) throws -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([
            [
                try button("🔎 \(monitor.name)", CallbackData.open + monitor.id.hex),
                try button(t.backButton, CallbackData.listPage + "0"),
            ]
        ])
    }
}
