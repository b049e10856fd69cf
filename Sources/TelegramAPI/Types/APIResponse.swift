/// The envelope of every Bot API answer (https://core.telegram.org/bots/api#making-requests).
struct APIResponse<Result: Decodable>: Decodable {
    var ok: Bool
    var result: Result?
    var description: String?
    var errorCode: Int?
    var parameters: ResponseParameters?

    enum CodingKeys: String, CodingKey {
        case ok, result, description
        case errorCode = "error_code"
        case parameters
    }
}

/// Why a request failed and what to do about it (https://core.telegram.org/bots/api#responseparameters).
public struct ResponseParameters: Codable, Sendable, Hashable {
    /// The group became a supergroup with this id; repeat the request there.
    public var migrateToChatID: Int64?
    /// Seconds to wait before repeating a request that hit a flood limit (429).
    public var retryAfter: Int?

    public init(migrateToChatID: Int64? = nil, retryAfter: Int? = nil) {
        self.migrateToChatID = migrateToChatID
        self.retryAfter = retryAfter
    }

    enum CodingKeys: String, CodingKey {
        case migrateToChatID = "migrate_to_chat_id"
        case retryAfter = "retry_after"
    }
}

/// editMessageText and editMessageReplyMarkup return the message, or `true` for inline messages.
public enum MessageOrTrue: Decodable, Sendable, Hashable {
    case message(Message)
    case `true`

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self), flag {
            self = .true
        } else {
            self = .message(try container.decode(Message.self))
        }
    }
}
