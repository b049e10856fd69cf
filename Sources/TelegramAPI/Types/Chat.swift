/// A chat (https://core.telegram.org/bots/api#chat). The bot lives in private chats, where the
/// chat id equals the user id.
public struct Chat: Codable, Sendable, Hashable {
    public var id: Int64
    public var type: Kind
    public var title: String?
    public var username: String?
    public var firstName: String?
    public var lastName: String?
    /// True in a supergroup with forum topics; then `Message.messageThreadID` names the topic.
    public var isForum: Bool?

    public init(
        id: Int64, type: Kind = .private, title: String? = nil, username: String? = nil,
        firstName: String? = nil, lastName: String? = nil, isForum: Bool? = nil
    ) {
        self.id = id
        self.type = type
        self.title = title
        self.username = username
        self.firstName = firstName
        self.lastName = lastName
        self.isForum = isForum
    }

    /// A struct rather than an enum so a chat type Telegram adds later decodes instead of failing.
    public struct Kind: RawRepresentable, Codable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let `private` = Kind(rawValue: "private")
        public static let group = Kind(rawValue: "group")
        public static let supergroup = Kind(rawValue: "supergroup")
        public static let channel = Kind(rawValue: "channel")
    }

    enum CodingKeys: String, CodingKey {
        case id, type, title, username
        case firstName = "first_name"
        case lastName = "last_name"
        case isForum = "is_forum"
    }
}
