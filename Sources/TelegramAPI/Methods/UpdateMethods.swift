/// https://core.telegram.org/bots/api#getme
public struct GetMe: BotMethod {
    public typealias Result = User
    public static let name = "getMe"
    public init() {}
}

/// https://core.telegram.org/bots/api#getupdates — long polling. Calling it with `offset` confirms
/// every update with a smaller id; Telegram keeps the others and delivers them again.
public struct GetUpdates: BotMethod {
    public typealias Result = [Update]
    public static let name = "getUpdates"

    public var offset: Int64?
    public var limit: Int?
    /// Seconds the server may hold the request open while there is nothing to deliver.
    public var timeout: Int?
    public var allowedUpdates: [UpdateKind]?

    public init(offset: Int64? = nil, limit: Int? = nil, timeout: Int? = nil, allowedUpdates: [UpdateKind]? = nil) {
        self.offset = offset
        self.limit = limit
        self.timeout = timeout
        self.allowedUpdates = allowedUpdates
    }

    enum CodingKeys: String, CodingKey {
        case offset, limit, timeout
        case allowedUpdates = "allowed_updates"
    }
}

/// https://core.telegram.org/bots/api#deletewebhook — long polling refuses to work while a webhook is set.
public struct DeleteWebhook: BotMethod {
    public typealias Result = Bool
    public static let name = "deleteWebhook"

    public var dropPendingUpdates: Bool?

    public init(dropPendingUpdates: Bool? = nil) {
        self.dropPendingUpdates = dropPendingUpdates
    }

    enum CodingKeys: String, CodingKey {
        case dropPendingUpdates = "drop_pending_updates"
    }
}

/// https://core.telegram.org/bots/api#setmycommands — one call per language (ru, en) and scope.
public struct SetMyCommands: BotMethod {
    public typealias Result = Bool
    public static let name = "setMyCommands"

    public var commands: [BotCommand]
    public var scope: BotCommandScope?
    /// Two-letter ISO 639-1 code; nil sets the list for users with no dedicated one.
    public var languageCode: String?

    public init(commands: [BotCommand], scope: BotCommandScope? = nil, languageCode: String? = nil) {
        self.commands = commands
        self.scope = scope
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case commands, scope
        case languageCode = "language_code"
    }
}

/// https://core.telegram.org/bots/api#answercallbackquery — stops the client's spinner; `text`
/// shows as a toast (or an alert with `showAlert`), at most 200 characters.
public struct AnswerCallbackQuery: BotMethod {
    public typealias Result = Bool
    public static let name = "answerCallbackQuery"

    public var callbackQueryID: String
    public var text: String?
    public var showAlert: Bool?
    public var cacheTime: Int?

    public init(callbackQueryID: String, text: String? = nil, showAlert: Bool? = nil, cacheTime: Int? = nil) {
        self.callbackQueryID = callbackQueryID
        self.text = text
        self.showAlert = showAlert
        self.cacheTime = cacheTime
    }

    enum CodingKeys: String, CodingKey {
        case callbackQueryID = "callback_query_id"
        case text
        case showAlert = "show_alert"
        case cacheTime = "cache_time"
    }
}
