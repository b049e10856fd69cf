import BSON
import Foundation
import TelegramAPI

/// An alert written into its monitor's document in the same update as the status it announces
/// (`pending_alerts` in `monitors`), then moved to the outbox and cleared. A process killed in
/// between leaves it there, and the next one moves it: the transition and its alert are one write.
/// The dedupe key names the monitor and its transition counter, so a second move adds nothing.
public struct PendingAlert: Codable, Sendable, Equatable {
    public var dedupeKey: String
    public var chatID: Int64
    /// HTML text, already escaped.
    public var text: String
    public var notBefore: Date
    public var createdAt: Date
    /// The alert's buttons (`reply_markup`), moved to the outbox with it.
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        dedupeKey: String, chatID: Int64, text: String, notBefore: Date, createdAt: Date,
        replyMarkup: InlineKeyboardMarkup? = nil
    ) {
        self.dedupeKey = dedupeKey
        self.chatID = chatID
        self.text = text
        self.notBefore = notBefore
        self.createdAt = createdAt
        self.replyMarkup = replyMarkup
    }

    public init(_ message: OutboxMessage) {
        self.init(
            dedupeKey: message.dedupeKey, chatID: message.chatID, text: message.text, notBefore: message.notBefore,
            createdAt: message.createdAt, replyMarkup: message.replyMarkup)
    }

    /// The outbox entry this alert becomes (a fresh id; the dedupe key makes a second move a no-op).
    public var outboxMessage: OutboxMessage {
        OutboxMessage(
            chatID: chatID, text: text, dedupeKey: dedupeKey, notBefore: notBefore, createdAt: createdAt,
            replyMarkup: replyMarkup)
    }

    enum CodingKeys: String, CodingKey {
        case dedupeKey = "key"
        case chatID = "chat_id"
        case text
        case notBefore = "not_before"
        case createdAt = "created_at"
        case replyMarkup = "reply_markup"
    }
}
