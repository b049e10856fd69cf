/// One Bot API method: its parameters (encoded as the JSON body) and the type of its `result`.
public protocol BotMethod: Encodable, Sendable {
    associatedtype Result: Decodable & Sendable
    /// The method name in the URL: "sendMessage".
    static var name: String { get }
    /// The chat this call writes into, so the sender can rate-limit and order per chat;
    /// nil for calls that put nothing into a chat (getMe, answerCallbackQuery, ...).
    var targetChatID: Int64? { get }
}

extension BotMethod {
    public var targetChatID: Int64? { nil }
}

/// How Telegram should read entities in a text. The bot uses HTML, with `HTML.escape` on every
/// user-provided piece.
public enum ParseMode: String, Codable, Sendable, Hashable {
    case html = "HTML"
    case markdownV2 = "MarkdownV2"
}

/// https://core.telegram.org/bots/api#linkpreviewoptions; replaces `disable_web_page_preview`.
public struct LinkPreviewOptions: Codable, Sendable, Hashable {
    public var isDisabled: Bool?

    public init(isDisabled: Bool? = nil) {
        self.isDisabled = isDisabled
    }

    /// Monitored URLs in a list must not unfurl into previews.
    public static let disabled = LinkPreviewOptions(isDisabled: true)

    enum CodingKeys: String, CodingKey {
        case isDisabled = "is_disabled"
    }
}

/// `Method` sent exactly as it is, with none of its result decoded: for calls that matter only as
/// success or failure. A sent or edited message comes back whole (text, entities, the keyboard), and
/// decoding that for a caller who never reads it was most of the bot's JSON work per update.
public struct DiscardingResult<Method: BotMethod>: BotMethod {
    public typealias Result = Discarded
    public static var name: String { Method.name }

    public let method: Method

    public init(_ method: Method) { self.method = method }

    public var targetChatID: Int64? { method.targetChatID }

    public func encode(to encoder: any Encoder) throws { try method.encode(to: encoder) }
}

/// A result that was not decoded (see `DiscardingResult`).
public struct Discarded: Decodable, Sendable, Hashable {
    public init() {}
    public init(from decoder: any Decoder) {}
}
