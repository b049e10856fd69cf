/// A command in the client's "/" menu (https://core.telegram.org/bots/api#botcommand).
public struct BotCommand: Codable, Sendable, Hashable {
    /// 1-32 characters: lower-case letters, digits and underscores, no slash.
    public var command: String
    /// 1-256 characters.
    public var description: String

    public init(_ command: String, description: String) {
        self.command = command
        self.description = description
    }
}

/// Which users see a command list (https://core.telegram.org/bots/api#botcommandscope).
public enum BotCommandScope: Encodable, Sendable, Hashable {
    case `default`
    case allPrivateChats
    case chat(Int64)

    enum CodingKeys: String, CodingKey {
        case type
        case chatID = "chat_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .default:
            try container.encode("default", forKey: .type)
        case .allPrivateChats:
            try container.encode("all_private_chats", forKey: .type)
        case .chat(let id):
            try container.encode("chat", forKey: .type)
            try container.encode(id, forKey: .chatID)
        }
    }
}
