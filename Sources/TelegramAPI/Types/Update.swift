/// An incoming update (https://core.telegram.org/bots/api#update). The bot asks only for
/// `message` and `callback_query`; other kinds decode with both nil and are skipped by the caller.
public struct Update: Codable, Sendable, Hashable {
    public var updateID: Int64
    public var message: Message?
    public var editedMessage: Message?
    public var callbackQuery: CallbackQuery?

    public init(
        updateID: Int64, message: Message? = nil, editedMessage: Message? = nil, callbackQuery: CallbackQuery? = nil
    ) {
        self.updateID = updateID
        self.message = message
        self.editedMessage = editedMessage
        self.callbackQuery = callbackQuery
    }

    /// Who caused the update: the key of per-user serial handling.
    public var sender: User? {
        message?.from ?? callbackQuery?.from ?? editedMessage?.from
    }

    /// The chat the update belongs to (for a callback query: the chat of the message with the button).
    public var chat: Chat? {
        message?.chat ?? callbackQuery?.message?.chat ?? editedMessage?.chat
    }

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id"
        case message
        case editedMessage = "edited_message"
        case callbackQuery = "callback_query"
    }
}

/// The `allowed_updates` names of getUpdates.
public struct UpdateKind: RawRepresentable, Codable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let message = UpdateKind(rawValue: "message")
    public static let editedMessage = UpdateKind(rawValue: "edited_message")
    public static let callbackQuery = UpdateKind(rawValue: "callback_query")
}
