/// A special span of a message text (https://core.telegram.org/bots/api#messageentity).
/// Offsets and lengths count UTF-16 code units, as Telegram does.
public struct MessageEntity: Codable, Sendable, Hashable {
    public var type: Kind
    public var offset: Int
    public var length: Int
    public var url: String?
    public var user: User?
    public var language: String?

    public init(type: Kind, offset: Int, length: Int, url: String? = nil, user: User? = nil, language: String? = nil) {
        self.type = type
        self.offset = offset
        self.length = length
        self.url = url
        self.user = user
        self.language = language
    }

    /// Open set: unknown entity types decode as themselves.
    public struct Kind: RawRepresentable, Codable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let botCommand = Kind(rawValue: "bot_command")
        public static let mention = Kind(rawValue: "mention")
        public static let url = Kind(rawValue: "url")
        public static let textLink = Kind(rawValue: "text_link")
        public static let phoneNumber = Kind(rawValue: "phone_number")
        public static let bold = Kind(rawValue: "bold")
        public static let code = Kind(rawValue: "code")
    }
}
