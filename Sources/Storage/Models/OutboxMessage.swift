import BSON
import Foundation
import TelegramAPI

/// A notification waiting for Telegram. Written before sending, so an outage delays it but never drops it.
public struct OutboxMessage: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case pending, sent, failed }

    public var id: ObjectId
    public var chatID: Int64
    /// HTML text, already escaped.
    public var text: String
    /// Makes enqueueing idempotent: a second message with the same key is ignored.
    public var dedupeKey: String
    public var state: State
    public var attempts: Int
    public var notBefore: Date
    public var createdAt: Date
    public var sentAt: Date?
    public var lastError: String?
    /// Set while the message is kept back for its owner instead of sent: since when, and why. Held
    /// messages go out together, under a summary header, once the reason is gone.
    public var heldSince: Date?
    public var heldReason: HoldReason?
    /// The buttons under the message (`reply_markup`, as Telegram takes it): an alert's 🔎 ✋ 🛠 ⏸.
    public var replyMarkup: InlineKeyboardMarkup?

    /// Why a message waits for its owner rather than for Telegram.
    public enum HoldReason: String, Codable, Sendable {
        /// The owner blocked the bot or deactivated the account: kept (up to a day) until they write again.
        case unreachable
        /// The owner muted alerts after this one was written: kept until the mute ends.
        case muted
    }

    public init(
        id: ObjectId = ObjectId(), chatID: Int64, text: String, dedupeKey: String, state: State = .pending,
        attempts: Int = 0, notBefore: Date = Date(), createdAt: Date = Date(), sentAt: Date? = nil,
        lastError: String? = nil, heldSince: Date? = nil, heldReason: HoldReason? = nil,
        replyMarkup: InlineKeyboardMarkup? = nil
    ) {
        self.id = id
        self.chatID = chatID
        self.text = text
        self.dedupeKey = dedupeKey
        self.state = state
        self.attempts = attempts
        self.notBefore = notBefore
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.lastError = lastError
        self.heldSince = heldSince
        self.heldReason = heldReason
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case chatID = "chat_id"
        case text
        case dedupeKey = "dedupe_key"
        case state, attempts
        case notBefore = "not_before"
        case createdAt = "created_at"
        case sentAt = "sent_at"
        case lastError = "last_error"
        case heldSince = "held_since"
        case heldReason = "held_reason"
        case replyMarkup = "reply_markup"
    }
}

/// How the outbox shares one batch among chats.
public enum OutboxFairness {
    /// Messages of one chat in one batch of due messages at most.
    public static let perChat = 10
}
