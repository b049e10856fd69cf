import BSON
import Foundation

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

    public init(
        id: ObjectId = ObjectId(), chatID: Int64, text: String, dedupeKey: String, state: State = .pending,
        attempts: Int = 0, notBefore: Date = Date(), createdAt: Date = Date(), sentAt: Date? = nil,
        lastError: String? = nil
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
    }
}
