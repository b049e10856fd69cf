import TelegramAPI

/// An update taken from Telegram, as the inbox gives it back: its id and the update, or why what was
/// written down can no longer be read as one (written by another version, or damaged).
public struct InboxEntry: Sendable, Equatable {
    public let id: Int64
    public let update: Result<Update, UnreadableUpdate>

    public init(id: Int64, update: Result<Update, UnreadableUpdate>) {
        self.id = id
        self.update = update
    }

    public init(_ update: Update) { self.init(id: update.updateID, update: .success(update)) }
}

/// What was written down for an update cannot be decoded as one; `reason` is the decoder's word.
public struct UnreadableUpdate: Error, Equatable, Sendable {
    public let reason: String

    public init(reason: String) { self.reason = reason }
}
