import BSON

/// An update taken from Telegram, as the bot wrote it down: its id and the update's fields.
public struct InboxEntry: Sendable, Equatable {
    public let id: Int64
    public let update: BSONDocument

    public init(id: Int64, update: BSONDocument) {
        self.id = id
        self.update = update
    }
}
