/// Sending and fetching files.
extension BotAPI {
    /// Uploads `file` into the chat as a document.
    @discardableResult
    public func sendDocument(
        chatID: Int64, file: InputFile, caption: String? = nil, parseMode: ParseMode? = .html,
        replyMarkup: ReplyMarkup? = nil
    ) async throws(TelegramError) -> Message {
        guard file.bytes.count <= InputFile.maxUploadBytes else {
            throw .fileTooLarge(method: SendDocument.name, limit: InputFile.maxUploadBytes)
        }
        return try await call(
            SendDocument(
                chatID: chatID, document: file, caption: caption, parseMode: parseMode, replyMarkup: replyMarkup))
    }

    public func getFile(id: String) async throws(TelegramError) -> TelegramFile {
        try await call(GetFile(fileID: id))
    }

    /// getFile, then the download, refusing a file over `maxBytes` at each step: by the size getFile
    /// reports (nothing is fetched then) and while the body arrives (a size Telegram did not know).
    public func download(fileID: String, maxBytes: Int) async throws(TelegramError) -> [UInt8] {
        let file = try await getFile(id: fileID)
        if let size = file.fileSize, size > maxBytes { throw .fileTooLarge(method: GetFile.name, limit: maxBytes) }
        guard let path = file.filePath else {
            throw .decoding(method: GetFile.name, description: "no file_path in the answer")
        }
        return try await downloadFile(path: path, maxBytes: maxBytes)
    }
}
