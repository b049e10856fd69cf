/// https://core.telegram.org/bots/api#sendmessage — HTML by default: escape user text with `HTML.escape`.
public struct SendMessage: BotMethod {
    public typealias Result = Message
    public static let name = "sendMessage"

    public var chatID: Int64
    public var messageThreadID: Int?
    public var text: String
    public var parseMode: ParseMode?
    public var linkPreviewOptions: LinkPreviewOptions?
    public var disableNotification: Bool?
    public var replyMarkup: ReplyMarkup?

    public init(
        chatID: Int64, text: String, parseMode: ParseMode? = .html, replyMarkup: ReplyMarkup? = nil,
        linkPreviewOptions: LinkPreviewOptions? = .disabled, disableNotification: Bool? = nil,
        messageThreadID: Int? = nil
    ) {
        self.chatID = chatID
        self.messageThreadID = messageThreadID
        self.text = text
        self.parseMode = parseMode
        self.linkPreviewOptions = linkPreviewOptions
        self.disableNotification = disableNotification
        self.replyMarkup = replyMarkup
    }

    public var targetChatID: Int64? { chatID }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case messageThreadID = "message_thread_id"
        case text
        case parseMode = "parse_mode"
        case linkPreviewOptions = "link_preview_options"
        case disableNotification = "disable_notification"
        case replyMarkup = "reply_markup"
    }
}

/// https://core.telegram.org/bots/api#editmessagetext — "message is not modified" counts as success
/// in the client's conveniences; "message to edit not found" is `TelegramError.messageToEditNotFound`.
public struct EditMessageText: BotMethod {
    public typealias Result = MessageOrTrue
    public static let name = "editMessageText"

    public var chatID: Int64
    public var messageID: Int
    public var text: String
    public var parseMode: ParseMode?
    public var linkPreviewOptions: LinkPreviewOptions?
    /// Only an inline keyboard can be attached to an edited message.
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        chatID: Int64, messageID: Int, text: String, parseMode: ParseMode? = .html,
        replyMarkup: InlineKeyboardMarkup? = nil, linkPreviewOptions: LinkPreviewOptions? = .disabled
    ) {
        self.chatID = chatID
        self.messageID = messageID
        self.text = text
        self.parseMode = parseMode
        self.linkPreviewOptions = linkPreviewOptions
        self.replyMarkup = replyMarkup
    }

    public var targetChatID: Int64? { chatID }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case messageID = "message_id"
        case text
        case parseMode = "parse_mode"
        case linkPreviewOptions = "link_preview_options"
        case replyMarkup = "reply_markup"
    }
}

/// https://core.telegram.org/bots/api#editmessagereplymarkup — nil markup removes the keyboard.
public struct EditMessageReplyMarkup: BotMethod {
    public typealias Result = MessageOrTrue
    public static let name = "editMessageReplyMarkup"

    public var chatID: Int64
    public var messageID: Int
    public var replyMarkup: InlineKeyboardMarkup?

    public init(chatID: Int64, messageID: Int, replyMarkup: InlineKeyboardMarkup?) {
        self.chatID = chatID
        self.messageID = messageID
        self.replyMarkup = replyMarkup
    }

    public var targetChatID: Int64? { chatID }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case messageID = "message_id"
        case replyMarkup = "reply_markup"
    }
}

/// https://core.telegram.org/bots/api#deletemessage — a message older than 48 h cannot be deleted.
public struct DeleteMessage: BotMethod {
    public typealias Result = Bool
    public static let name = "deleteMessage"

    public var chatID: Int64
    public var messageID: Int

    public init(chatID: Int64, messageID: Int) {
        self.chatID = chatID
        self.messageID = messageID
    }

    public var targetChatID: Int64? { chatID }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case messageID = "message_id"
    }
}
