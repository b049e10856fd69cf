/// A person talking to the bot. In a private chat the chat id is the user id.
public struct FakeUser: Sendable, Hashable {
    public var id: Int64
    public var firstName: String
    public var lastName: String?
    public var username: String?
    /// Russian by default, like the bot's users.
    public var languageCode: String?

    public init(
        id: Int64, firstName: String = "Test", lastName: String? = nil, username: String? = nil,
        languageCode: String? = "ru"
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.username = username
        self.languageCode = languageCode
    }

    public var chatID: Int64 { id }

    var json: JSONValue {
        var fields: [String: JSONValue] = ["id": .int(id), "is_bot": false, "first_name": .string(firstName)]
        if let lastName { fields["last_name"] = .string(lastName) }
        if let username { fields["username"] = .string(username) }
        if let languageCode { fields["language_code"] = .string(languageCode) }
        return .object(fields)
    }

    var privateChatJSON: JSONValue {
        var fields: [String: JSONValue] = ["id": .int(id), "type": "private", "first_name": .string(firstName)]
        if let username { fields["username"] = .string(username) }
        return .object(fields)
    }
}

/// A message as the user sees it in the chat.
public struct FakeMessage: Sendable, Hashable {
    public var messageID: Int
    public var chatID: Int64
    /// False for what the user sent (texts, contacts); true for the bot's messages.
    public var fromBot: Bool
    /// The text as the bot sent it (with HTML markup when `parseMode` is "HTML").
    public var rawText: String
    public var parseMode: String?
    /// What the user reads: markup removed, entities decoded.
    public var text: String
    /// The inline keyboard under the message.
    public var inlineKeyboard: [[FakeButton]]
    /// The `reply_markup` as sent, whatever its kind.
    public var replyMarkup: JSONValue?
    public var editCount: Int
    public var isDeleted: Bool
    public var date: Int
    /// A document message's `document` object (file_id, file_unique_id, file_name, mime_type, file_size);
    /// its caption is `text`.
    public var document: JSONValue? = nil

    /// The document's `file_id`, for `FakeBotAPIServer.file(id:)`.
    public var fileID: String? { document?["file_id"]?.stringValue }

    /// Every button of the inline keyboard, row by row.
    public var buttons: [FakeButton] { inlineKeyboard.flatMap { $0 } }

    public func button(labelled label: String) -> FakeButton? {
        buttons.first { $0.text == label } ?? buttons.first { $0.text.contains(label) }
    }
}

/// One inline button.
public struct FakeButton: Sendable, Hashable {
    public var text: String
    public var callbackData: String?
    public var url: String?

    static func keyboard(from markup: JSONValue?) -> [[FakeButton]] {
        guard let rows = markup?["inline_keyboard"]?.arrayValue else { return [] }
        return rows.map { row in
            (row.arrayValue ?? []).map {
                FakeButton(
                    text: $0["text"]?.stringValue ?? "", callbackData: $0["callback_data"]?.stringValue,
                    url: $0["url"]?.stringValue)
            }
        }
    }
}

/// One Bot API request the fake received, with the status it answered.
public struct RecordedCall: Sendable {
    /// Position in the fake's log (0-based); pass as `after:` to wait for later calls only.
    public var index: Int
    public var method: String
    /// The parameters, from a JSON body, a form body or the query string (JSON-typed form fields parsed).
    public var params: JSONValue
    public var status: Int
    public var receivedAt: ContinuousClock.Instant

    public var chatID: Int64? { params["chat_id"]?.intValue }
    public var text: String? { params["text"]?.stringValue }
}

/// What a scripted user action produced.
public struct ScriptedUpdate: Sendable, Hashable {
    public var updateID: Int64
    /// The message id in the chat, for texts, commands and contacts.
    public var messageID: Int?
    /// The callback query id, for button presses.
    public var callbackQueryID: String?
}

/// Why a fake helper failed.
public enum FakeBotAPIError: Error, CustomStringConvertible {
    case timeout(String)
    case noSuchMessage(chat: Int64, messageID: Int)
    case noSuchButton(String, messageID: Int)
    case couldNotStart(String)

    public var description: String {
        switch self {
        case .timeout(let what): "fake Bot API: timed out waiting for \(what)"
        case .noSuchMessage(let chat, let id): "fake Bot API: chat \(chat) has no bot message \(id)"
        case .noSuchButton(let button, let id): "fake Bot API: message \(id) has no button \(button)"
        case .couldNotStart(let reason): "fake Bot API: could not start: \(reason)"
        }
    }
}
