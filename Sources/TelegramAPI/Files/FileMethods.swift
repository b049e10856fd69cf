import Foundation

/// A method whose parameters go as `multipart/form-data` because it uploads a file; the client
/// sends it so, the fake and Telegram read it so. Its `Encodable` side is never used.
public protocol MultipartBotMethod: BotMethod {
    func multipartForm() throws -> MultipartForm
}

/// https://core.telegram.org/bots/api#senddocument — a new file, uploaded (up to 50 MB), with an
/// optional caption (HTML by default, at most 1024 characters after parsing).
public struct SendDocument: MultipartBotMethod {
    public typealias Result = Message
    public static let name = "sendDocument"
    public static let maxCaptionLength = 1024

    public var chatID: Int64
    public var document: InputFile
    public var caption: String?
    public var parseMode: ParseMode?
    public var replyMarkup: ReplyMarkup?
    public var disableNotification: Bool?

    public init(
        chatID: Int64, document: InputFile, caption: String? = nil, parseMode: ParseMode? = .html,
        replyMarkup: ReplyMarkup? = nil, disableNotification: Bool? = nil
    ) {
        self.chatID = chatID
        self.document = document
        self.caption = caption
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
        self.disableNotification = disableNotification
    }

    public var targetChatID: Int64? { chatID }

    public func multipartForm() throws -> MultipartForm {
        var form = MultipartForm()
        form.add("chat_id", String(chatID))
        if let caption {
            form.add("caption", caption)
            if let parseMode { form.add("parse_mode", parseMode.rawValue) }
        }
        if let replyMarkup {
            form.add("reply_markup", String(decoding: try JSONEncoder().encode(replyMarkup), as: UTF8.self))
        }
        if let disableNotification { form.add("disable_notification", disableNotification ? "true" : "false") }
        form.add("document", file: document)
        return form
    }

    public func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(
            document.fileName, .init(codingPath: [], debugDescription: "sendDocument uploads a file: multipart only"))
    }
}

/// https://core.telegram.org/bots/api#getfile — where to download a file (up to 20 MB; Telegram
/// refuses larger ones with 400 "file is too big").
public struct GetFile: BotMethod {
    public typealias Result = TelegramFile
    public static let name = "getFile"
    public static let maxDownloadBytes = 20 << 20

    public var fileID: String

    public init(fileID: String) { self.fileID = fileID }

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id"
    }
}
