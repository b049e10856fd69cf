import BSON
import TelegramAPI

/// The buttons under an alert and their callback data, shared by the monitor (which writes them
/// into the outbox) and the bot (which answers them). Each fits Telegram's 64 bytes: a prefix of 3,
/// an ObjectId of 24, a counter of at most 19 digits.
public enum AlertActions {
    /// ao:<monitor id> — open the monitor (a new message: the alert stays as it was).
    public static let open = "ao:"
    /// ak:<monitor id>:<transition counter> — acknowledge that outage.
    public static let acknowledge = "ak:"
    /// am:<monitor id> — maintenance for an hour from now.
    public static let maintenanceHour = "am:"
    /// ap:<monitor id> — pause the monitor.
    public static let pause = "ap:"
    /// The first page of /monitoring: the "open all" button of a grouped alert with many monitors.
    public static let openAll = "ml:0"

    /// Buttons of a grouped message before it turns into one "open all" button.
    public static let maxRowsPerMessage = 8

    /// The buttons of a down alert: 🔎 name, then ✋ acknowledge, 🛠 1 h, ⏸ pause.
    public static func downKeyboard(
        monitorID: ObjectId, name: String, counter: Int, labels: Labels
    ) throws -> InlineKeyboardMarkup {
        let id = monitorID.hex
        return InlineKeyboardMarkup([
            [try .callback("🔎 \(TelegramText.truncated(name, toUTF16: 24))", data: open + id)],
            [
                try .callback(labels.acknowledge, data: "\(acknowledge)\(id):\(counter)"),
                try .callback(labels.maintenanceHour, data: maintenanceHour + id),
                try .callback(labels.pause, data: pause + id),
            ],
        ])
    }

    /// The button of a recovery: 🔎 name.
    public static func upKeyboard(monitorID: ObjectId, name: String) throws -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([
            [try .callback("🔎 \(TelegramText.truncated(name, toUTF16: 24))", data: open + monitorID.hex)]
        ])
    }

    /// The words on the buttons, in the owner's language.
    public struct Labels: Sendable {
        public var acknowledge: String
        public var maintenanceHour: String
        public var pause: String
        public var openAll: String

        public init(acknowledge: String, maintenanceHour: String, pause: String, openAll: String) {
            self.acknowledge = acknowledge
            self.maintenanceHour = maintenanceHour
            self.pause = pause
            self.openAll = openAll
        }
    }

    /// The monitor and counter of an ✋ press; nil for anything malformed (buttons can be forged).
    public static func acknowledged(_ data: String?) -> (id: ObjectId, counter: Int)? {
        guard let data, data.hasPrefix(acknowledge) else { return nil }
        let parts = data.dropFirst(acknowledge.count).split(separator: ":")
        guard parts.count == 2, let id = ObjectId(hex: String(parts[0])), let counter = Int(parts[1]), counter >= 0
        else { return nil }
        return (id, counter)
    }

    /// The keyboard of one message carrying `keyboards` (one per alert): each alert's buttons in one
    /// row, emoji only after the first; more than `maxRowsPerMessage` become one "open all" button.
    public static func grouped(_ keyboards: [InlineKeyboardMarkup], openAllLabel: String) -> InlineKeyboardMarkup? {
        guard !keyboards.isEmpty else { return nil }
        if keyboards.count == 1 { return keyboards[0] }
        if keyboards.count > maxRowsPerMessage {
            return (try? InlineKeyboardButton.callback(openAllLabel, data: openAll)).map {
                InlineKeyboardMarkup([[$0]])
            }
        }
        let rows = keyboards.map { keyboard in
            keyboard.inlineKeyboard.flatMap { $0 }.enumerated().map { index, button in
                index == 0 ? button : button.relabelled(String(button.text.prefix(1)))
            }
        }
        return InlineKeyboardMarkup(rows)
    }
}
