/// Whose conversation a state belongs to, as in aiogram: bot, chat, user, optional forum thread, destiny.
public struct StorageKey: Sendable, Hashable {
    public var botID: Int64
    public var chatID: Int64
    public var userID: Int64
    public var threadID: Int64?
    public var destiny: String

    public static let defaultDestiny = "default"

    public init(
        botID: Int64, chatID: Int64, userID: Int64, threadID: Int64? = nil, destiny: String = StorageKey.defaultDestiny
    ) {
        self.botID = botID
        self.chatID = chatID
        self.userID = userID
        self.threadID = threadID
        self.destiny = destiny
    }
}

/// aiogram's `DefaultKeyBuilder`: `fsm:<chat>:<user>`, `fsm:<chat>:<thread>:<user>` in a forum topic,
/// with the bot id after the prefix and the destiny at the end when configured — so documents written
/// by an aiogram bot are found under the same `_id`.
public struct KeyBuilder: Sendable {
    public var prefix: String
    public var separator: String
    public var withBotID: Bool
    public var withDestiny: Bool

    public init(prefix: String = "fsm", separator: String = ":", withBotID: Bool = false, withDestiny: Bool = false) {
        self.prefix = prefix
        self.separator = separator
        self.withBotID = withBotID
        self.withDestiny = withDestiny
    }

    public func build(_ key: StorageKey) -> String {
        var parts = [prefix]
        if withBotID { parts.append(String(key.botID)) }
        parts.append(String(key.chatID))
        if let thread = key.threadID { parts.append(String(thread)) }
        parts.append(String(key.userID))
        // aiogram refuses a non-default destiny without `with_destiny`; folding it in keeps keys distinct instead.
        if withDestiny || key.destiny != StorageKey.defaultDestiny { parts.append(key.destiny) }
        return parts.joined(separator: separator)
    }
}
