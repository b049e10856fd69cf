/// A message (https://core.telegram.org/bots/api#message): only the fields the bot reads.
public struct Message: Codable, Sendable, Hashable {
    public var messageID: Int
    /// Set in forum topics; part of the FSM key there.
    public var messageThreadID: Int?
    public var from: User?
    public var chat: Chat
    /// Unix time. Zero for an "inaccessible message" inside an old callback query.
    public var date: Int
    public var editDate: Int?
    public var text: String?
    public var entities: [MessageEntity]?
    public var contact: Contact?
    /// A file sent as a document, and the text under it.
    public var document: Document?
    public var caption: String?
    /// The inline keyboard attached to a message the bot sent.
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        messageID: Int, messageThreadID: Int? = nil, from: User? = nil, chat: Chat, date: Int,
        editDate: Int? = nil, text: String? = nil, entities: [MessageEntity]? = nil,
        contact: Contact? = nil, replyMarkup: InlineKeyboardMarkup? = nil, document: Document? = nil,
        caption: String? = nil
    ) {
        self.messageID = messageID
        self.messageThreadID = messageThreadID
        self.from = from
        self.chat = chat
        self.date = date
        self.editDate = editDate
        self.text = text
        self.entities = entities
        self.contact = contact
        self.replyMarkup = replyMarkup
        self.document = document
        self.caption = caption
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case messageThreadID = "message_thread_id"
        case from, chat, date
        case editDate = "edit_date"
        case text, entities, contact, document, caption
        case replyMarkup = "reply_markup"
    }
}
