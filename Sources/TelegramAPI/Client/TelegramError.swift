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
    /// A file larger than `limit` bytes: a download over the caller's limit (stopped as soon as it
    /// passed it), or an upload over the Bot API's.
    case fileTooLarge(method: String, limit: Int)

    /// The Bot API method of the failed call.
    public var method: String {
        switch self {
        case .badRequest(let method, _), .messageNotModified(let method), .messageToEditNotFound(let method),
            .chatMigrated(let method, _), .unauthorized(let method), .forbidden(let method, _),
            .notFound(let method), .conflict(let method, _), .tooManyRequests(let method, _),
            .server(let method, _, _), .network(let method, _, _), .decoding(let method, _),
            .unexpected(let method, _, _), .cancelled(let method), .fileTooLarge(let method, _):
            method
        }
    }

    /// Whether repeating the same request later may succeed (and cannot do harm beyond a
    /// possible duplicate when a timeout hid a delivered message).
    public var isTransient: Bool {
        switch self {
        case .tooManyRequests, .server: true
        case .network(_, let kind, _): kind != .invalidRequest
        default: false
        }
    }

    /// A 403 that says the person is gone for this bot ("bot was blocked by the user", "user is
    /// deactivated"): the only refusals that mark a user unreachable. Other 403s (kicked from a group,
    /// "can't initiate conversation") concern one message or chat, not the person.
    public var meansUserGone: Bool {
        guard case .forbidden(_, let description) = self else { return false }
        let text = description.lowercased()
        return text.contains("bot was blocked by the user") || text.contains("user is deactivated")
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
        case .fileTooLarge: "file_too_large"
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let method, let description): "\(method): bad request: \(description)"
        case .messageNotModified(let method): "\(method): message is not modified"
        case .messageToEditNotFound(let method): "\(method): message to edit not found"
        case .chatMigrated(let method, let id): "\(method): the group moved to supergroup \(id)"
        case .unauthorized(let method):
            "\(method): unauthorized: the bot token is wrong or revoked (check TELEGRAM_BOT_TOKEN)"
        case .forbidden(let method, let description): "\(method): forbidden: \(description)"
        case .notFound(let method):
            "\(method): not found: unknown method or malformed token (check TELEGRAM_API_URL and the token)"
        case .conflict(let method, let description): "\(method): conflict: \(description)"
        case .tooManyRequests(let method, let seconds): "\(method): too many requests, retry after \(seconds) s"
        case .server(let method, let status, let description): "\(method): server error \(status): \(description)"
        case .network(let method, let kind, let description): "\(method): network failure (\(kind)): \(description)"
        case .decoding(let method, let description): "\(method): undecodable answer: \(description)"
        case .unexpected(let method, let status, let description):
            "\(method): unexpected status \(status): \(description)"
        case .cancelled(let method): "\(method): cancelled"
        case .fileTooLarge(let method, let limit): "\(method): the file is larger than \(limit) bytes"
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
