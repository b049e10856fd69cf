/// A custom keyboard replacing the user's keyboard (https://core.telegram.org/bots/api#replykeyboardmarkup):
/// `/start` uses it for the "share my phone number" button.
public struct ReplyKeyboardMarkup: Codable, Sendable, Hashable {
    public var keyboard: [[KeyboardButton]]
    public var isPersistent: Bool?
    public var resizeKeyboard: Bool?
    public var oneTimeKeyboard: Bool?
    public var inputFieldPlaceholder: String?

    public init(
        _ keyboard: [[KeyboardButton]], isPersistent: Bool? = nil, resizeKeyboard: Bool? = true,
        oneTimeKeyboard: Bool? = nil, inputFieldPlaceholder: String? = nil
    ) {
        self.keyboard = keyboard
        self.isPersistent = isPersistent
        self.resizeKeyboard = resizeKeyboard
        self.oneTimeKeyboard = oneTimeKeyboard
        self.inputFieldPlaceholder = inputFieldPlaceholder
    }

    enum CodingKeys: String, CodingKey {
        case keyboard
        case isPersistent = "is_persistent"
        case resizeKeyboard = "resize_keyboard"
        case oneTimeKeyboard = "one_time_keyboard"
        case inputFieldPlaceholder = "input_field_placeholder"
    }
}

/// A reply-keyboard button; with `requestContact` the client sends the user's own contact when pressed.
public struct KeyboardButton: Codable, Sendable, Hashable {
    public var text: String
    public var requestContact: Bool?

    public init(_ text: String, requestContact: Bool? = nil) {
        self.text = text
        self.requestContact = requestContact
    }

    public static func requestingContact(_ text: String) -> KeyboardButton {
        KeyboardButton(text, requestContact: true)
    }

    enum CodingKeys: String, CodingKey {
        case text
        case requestContact = "request_contact"
    }
}

/// Removes the custom keyboard (https://core.telegram.org/bots/api#replykeyboardremove).
public struct ReplyKeyboardRemove: Codable, Sendable, Hashable {
    public var removeKeyboard: Bool
    public var selective: Bool?

    public init(selective: Bool? = nil) {
        self.removeKeyboard = true
        self.selective = selective
    }

    enum CodingKeys: String, CodingKey {
        case removeKeyboard = "remove_keyboard"
        case selective
    }
}

/// The `reply_markup` of sendMessage: exactly one of the keyboard kinds, encoded as that object.
public enum ReplyMarkup: Encodable, Sendable, Hashable {
    case inline(InlineKeyboardMarkup)
    case keyboard(ReplyKeyboardMarkup)
    case remove(ReplyKeyboardRemove)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .inline(let markup): try markup.encode(to: encoder)
        case .keyboard(let markup): try markup.encode(to: encoder)
        case .remove(let markup): try markup.encode(to: encoder)
        }
    }
}
