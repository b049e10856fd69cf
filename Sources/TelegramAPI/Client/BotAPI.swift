/// Something that performs Bot API calls: `TelegramClient` sends each call once, as it is;
/// `TelegramSender` adds rate limits, per-chat ordering and retries. Handlers take `any BotAPI`
/// and get the method conveniences of `BotAPI+Methods.swift` from either.
public protocol BotAPI: Sendable {
    func call<M: BotMethod>(_ method: M) async throws(TelegramError) -> M.Result

    /// The bytes of a file getFile described (`/file/bot<token>/<file_path>`), through the same proxy
    /// as the calls; `.fileTooLarge` as soon as the body passes `maxBytes`.
    func downloadFile(path: String, maxBytes: Int) async throws(TelegramError) -> [UInt8]
}

/// The result of an edit: Telegram's "message is not modified" is a success that changed nothing
/// (a user pressing the same button twice), so it is reported, not thrown.
public enum EditOutcome: Sendable, Hashable {
    case edited
    case notModified
}
