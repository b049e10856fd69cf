/// A file the fake holds: one the bot uploaded with sendDocument, or one a scripted user sent.
public struct FakeFile: Sendable, Hashable {
    public var fileID: String
    public var fileUniqueID: String
    public var fileName: String?
    public var mimeType: String?
    public var bytes: [UInt8]
    /// getFile's `file_path`, served at `/file/bot<token>/<path>`.
    public var path: String
    /// Whether `file_size` is announced in the document (Telegram may leave it out).
    public var announcesSize: Bool

    /// The `document` object of a message carrying this file.
    var documentJSON: JSONValue {
        var fields: [String: JSONValue] = ["file_id": .string(fileID), "file_unique_id": .string(fileUniqueID)]
        if let fileName { fields["file_name"] = .string(fileName) }
        if let mimeType { fields["mime_type"] = .string(mimeType) }
        if announcesSize { fields["file_size"] = .int(Int64(bytes.count)) }
        return .object(fields)
    }
}

/// A file part of a multipart/form-data request.
struct FakeUpload: Sendable {
    var fileName: String?
    var mimeType: String?
    var bytes: [UInt8]
}

/// sendDocument and getFile as Telegram does them, with its limits: a caption of at most 1024
/// characters, no empty files, getFile only up to 20 MB.
extension FakeState {
    static let maxDownloadBytes = 20 << 20
    static let maxCaptionLength = 1024

    mutating func storeFile(fileName: String?, mimeType: String?, bytes: [UInt8], announcesSize: Bool = true)
        -> FakeFile
    {
        let number = nextFile
        nextFile += 1
        let suffix = fileName?.split(separator: ".").last.map { "." + $0.filter(\.isLetter) } ?? ""
        let file = FakeFile(
            fileID: "BQACAgIAAxkBAAI\(number)fake", fileUniqueID: "AgAD\(number)", fileName: fileName,
            mimeType: mimeType, bytes: bytes, path: "documents/file_\(number)\(suffix)", announcesSize: announcesSize)
        files[file.fileID] = file
        return file
    }

    func file(atPath path: String) -> FakeFile? {
        files.values.first { $0.path == path }
    }

    mutating func sendDocument(_ params: JSONValue, uploads: [String: FakeUpload], bot: FakeUser) -> FakeAnswer {
        guard let chatID = params["chat_id"]?.intValue else { return .badRequest("chat_id is empty") }
        if chat(chatID).blocked { return .blocked }
        let file: FakeFile
        if let upload = uploads["document"] ?? attached(params["document"], uploads) {
            guard !upload.bytes.isEmpty else { return .badRequest("file must be non-empty") }
            file = storeFile(fileName: upload.fileName, mimeType: upload.mimeType, bytes: upload.bytes)
        } else if let id = params["document"]?.stringValue {
            guard let known = files[id] else { return .badRequest("wrong file identifier/HTTP URL specified") }
            file = known
        } else {
            return .badRequest("there is no document in the request")
        }
        var caption = params["caption"]?.stringValue ?? ""
        let parseMode = params["parse_mode"]?.stringValue
        let raw = caption
        if parseMode?.lowercased() == "html", !caption.isEmpty {
            switch TelegramHTML.render(caption) {
            case .success(let plain): caption = plain
            case .failure(let error): return .error(400, error.description)
            }
        }
        if caption.utf16.count > Self.maxCaptionLength { return .badRequest("message caption is too long") }
        let markup = params["reply_markup"]
        if let refusal = validate(markup: markup) { return refusal }
        let inline = markup?["inline_keyboard"] != nil ? markup : nil
        let message = append(
            FakeMessage(
                messageID: 0, chatID: chatID, fromBot: true, rawText: raw, parseMode: parseMode, text: caption,
                inlineKeyboard: FakeButton.keyboard(from: inline), replyMarkup: inline, editCount: 0, isDeleted: false,
                date: Self.now, document: file.documentJSON))
        return .ok(messageJSON(message, bot: bot))
    }

    /// `attach://<name>`: a file part under another name.
    private func attached(_ value: JSONValue?, _ uploads: [String: FakeUpload]) -> FakeUpload? {
        guard let text = value?.stringValue, text.hasPrefix("attach://") else { return nil }
        return uploads[String(text.dropFirst("attach://".count))]
    }

    func getFile(_ params: JSONValue) -> FakeAnswer {
        guard let id = params["file_id"]?.stringValue, !id.isEmpty else {
            return .badRequest("file_id not specified")
        }
        guard let file = files[id] else { return .badRequest("wrong file_id or the file is temporarily unavailable") }
        guard file.bytes.count <= Self.maxDownloadBytes else { return .badRequest("file is too big") }
        var fields: [String: JSONValue] = [
            "file_id": .string(file.fileID), "file_unique_id": .string(file.fileUniqueID),
            "file_path": .string(file.path),
        ]
        if file.announcesSize { fields["file_size"] = .int(Int64(file.bytes.count)) }
        return .ok(.object(fields))
    }
}
