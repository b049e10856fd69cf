/// A press of an inline button (https://core.telegram.org/bots/api#callbackquery). It must be
/// answered with answerCallbackQuery, or the user's client shows a spinner.
public struct CallbackQuery: Codable, Sendable, Hashable {
    public var id: String
    public var from: User
    /// The message with the button; an old one arrives "inaccessible" (date 0, no text).
    public var message: Message?
    public var inlineMessageID: String?
    public var chatInstance: String
    /// What the bot put in the button; untrusted input like any text (ownership is re-checked).
    public var data: String?

    public init(
        id: String, from: User, message: Message? = nil, inlineMessageID: String? = nil,
        chatInstance: String, data: String? = nil
    ) {
        self.id = id
        self.from = from
        self.message = message
        self.inlineMessageID = inlineMessageID
        self.chatInstance = chatInstance
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case id, from, message
        case inlineMessageID = "inline_message_id"
        case chatInstance = "chat_instance"
        case data
    }
}
