/// An inline keyboard under a message (https://core.telegram.org/bots/api#inlinekeyboardmarkup).
public struct InlineKeyboardMarkup: Codable, Sendable, Hashable {
    public var inlineKeyboard: [[InlineKeyboardButton]]

    public init(_ rows: [[InlineKeyboardButton]]) {
        self.inlineKeyboard = rows
    }

    enum CodingKeys: String, CodingKey {
        case inlineKeyboard = "inline_keyboard"
    }
}

/// One inline button. Built only through `callback(_:data:)` or `link(_:url:)`, so the bot can
/// never send callback data Telegram refuses (BUTTON_DATA_INVALID): 1...64 bytes of UTF-8.
public struct InlineKeyboardButton: Codable, Sendable, Hashable {
    public private(set) var text: String
    public private(set) var callbackData: String?
    public private(set) var url: String?

    /// Telegram's limit on callback data, in UTF-8 bytes.
    public static let maxCallbackDataBytes = 64

    /// A button whose press arrives as a callback query carrying `data`.
    /// Throws instead of truncating: a cut identifier would silently point at something else.
    public static func callback(_ text: String, data: String) throws(InvalidCallbackData) -> InlineKeyboardButton {
        let bytes = data.utf8.count
        guard bytes > 0 else { throw .empty }
        guard bytes <= maxCallbackDataBytes else { throw .tooLong(bytes: bytes) }
        return InlineKeyboardButton(text: text, callbackData: data, url: nil)
    }

    /// A button that opens `url`.
    public static func link(_ text: String, url: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, callbackData: nil, url: url)
    }

    /// The same button with another label (its data is already checked).
    public func relabelled(_ text: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, callbackData: callbackData, url: url)
    }

    private init(text: String, callbackData: String?, url: String?) {
        self.text = text
        self.callbackData = callbackData
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case text
        case callbackData = "callback_data"
        case url
    }
}

/// Why callback data was refused; the caller should shorten its identifiers, not the data.
public enum InvalidCallbackData: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case tooLong(bytes: Int)

    public var description: String {
        switch self {
        case .empty: "callback data is empty"
        case .tooLong(let bytes):
            "callback data is \(bytes) bytes, Telegram allows \(InlineKeyboardButton.maxCallbackDataBytes)"
        }
    }
}
