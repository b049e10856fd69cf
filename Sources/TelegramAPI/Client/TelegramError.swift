/// Why a Bot API call failed, sorted by what the caller does next. Every text in it has passed
/// through `BotToken.redact`, so printing an error never leaks the token.
public enum TelegramError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 400 the caller must fix (log it with the method, never retry): bad HTML, empty text, ...
    case badRequest(method: String, description: String)
    /// 400 "message is not modified": the edit changed nothing. The edit conveniences return
    /// `.notModified` instead of throwing this.
    case messageNotModified(method: String)
    /// 400 "message to edit not found" (deleted, or too old): send a new message instead.
    case messageToEditNotFound(method: String)
    /// 400 with `migrate_to_chat_id`: the group became a supergroup; repeat in the new chat.
    case chatMigrated(method: String, newChatID: Int64)
    /// 401: the token is wrong or was revoked. Nothing works until the operator fixes the config.
    case unauthorized(method: String)
    /// 403: the user blocked the bot or deactivated the account: mark the user unreachable.
    case forbidden(method: String, description: String)
    /// 404: unknown method or a malformed token, usually a wrong `TELEGRAM_API_URL`.
    case notFound(method: String)
    /// 409: another getUpdates is running with this token, or a webhook is set.
    case conflict(method: String, description: String)
    /// 429: flood limit; Telegram asks to wait `retryAfter` seconds.
    case tooManyRequests(method: String, retryAfter: Int)
    /// 5xx from Telegram or from a proxy in between.
    case server(method: String, status: Int, description: String)
    /// The request did not complete: no connection, timeout, TLS, proxy refused.
    case network(method: String, kind: NetworkFailureKind, description: String)
    /// An answer that is not the Bot API's JSON envelope.
    case decoding(method: String, description: String)
    /// Any other status.
    case unexpected(method: String, status: Int, description: String)
    /// The calling task was cancelled (shutdown) before the call finished.
    case cancelled(method: String)

    /// The Bot API method of the failed call.
    public var method: String {
        switch self {
        case let .badRequest(method, _), let .messageNotModified(method), let .messageToEditNotFound(method),
             let .chatMigrated(method, _), let .unauthorized(method), let .forbidden(method, _),
             let .notFound(method), let .conflict(method, _), let .tooManyRequests(method, _),
             let .server(method, _, _), let .network(method, _, _), let .decoding(method, _),
             let .unexpected(method, _, _), let .cancelled(method):
            method
        }
    }

    /// Whether repeating the same request later may succeed (and cannot do harm beyond a
    /// possible duplicate when a timeout hid a delivered message).
    public var isTransient: Bool {
        switch self {
        case .tooManyRequests, .server: true
        case let .network(_, kind, _): kind != .invalidRequest
        default: false
        }
    }

    /// A short stable name for metrics and logs: "bad_request", "forbidden", ...
    public var kind: String {
        switch self {
        case .badRequest: "bad_request"
        case .messageNotModified: "not_modified"
        case .messageToEditNotFound: "edit_target_missing"
        case .chatMigrated: "chat_migrated"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .tooManyRequests: "too_many_requests"
        case .server: "server"
        case .network: "network"
        case .decoding: "decoding"
        case .unexpected: "unexpected"
        case .cancelled: "cancelled"
        }
    }

    public var description: String {
        switch self {
        case let .badRequest(method, description): "\(method): bad request: \(description)"
        case let .messageNotModified(method): "\(method): message is not modified"
        case let .messageToEditNotFound(method): "\(method): message to edit not found"
        case let .chatMigrated(method, id): "\(method): the group moved to supergroup \(id)"
        case let .unauthorized(method): "\(method): unauthorized: the bot token is wrong or revoked (check TELEGRAM_BOT_TOKEN)"
        case let .forbidden(method, description): "\(method): forbidden: \(description)"
        case let .notFound(method): "\(method): not found: unknown method or malformed token (check TELEGRAM_API_URL and the token)"
        case let .conflict(method, description): "\(method): conflict: \(description)"
        case let .tooManyRequests(method, seconds): "\(method): too many requests, retry after \(seconds) s"
        case let .server(method, status, description): "\(method): server error \(status): \(description)"
        case let .network(method, kind, description): "\(method): network failure (\(kind)): \(description)"
        case let .decoding(method, description): "\(method): undecodable answer: \(description)"
        case let .unexpected(method, status, description): "\(method): unexpected status \(status): \(description)"
        case let .cancelled(method): "\(method): cancelled"
        }
    }
}

/// What kind of transport failure happened; timeouts matter because the request may have arrived.
public enum NetworkFailureKind: String, Sendable, Hashable, CustomStringConvertible {
    case couldNotConnect = "could_not_connect"
    case timeout
    case proxy
    case tls
    /// The URL or request is malformed: a configuration error, not worth repeating.
    case invalidRequest = "invalid_request"
    case other

    public var description: String { rawValue }
}
