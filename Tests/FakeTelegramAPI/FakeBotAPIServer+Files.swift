/// Files: a scripted user sends one, a test reads what the bot uploaded.
extension FakeBotAPIServer {
    /// The user sends a file as a document. The update carries `document` with file_id,
    /// file_unique_id, file_name, mime_type and file_size (left out when `announcesSize` is false,
    /// as Telegram may); the bytes are served by getFile and the download path.
    @discardableResult
    public func sendDocument(
        from user: FakeUser, fileName: String?, mimeType: String?, bytes: [UInt8], caption: String? = nil,
        announcesSize: Bool = true
    ) -> ScriptedUpdate {
        postMessage(from: user) { state in
            let file = state.storeFile(
                fileName: fileName, mimeType: mimeType, bytes: bytes, announcesSize: announcesSize)
            var fields: [String: JSONValue] = ["document": file.documentJSON]
            if let caption { fields["caption"] = .string(caption) }
            return fields
        }
    }

    /// A file by its file_id (uploaded by the bot or sent by a user).
    public func file(id: String) -> FakeFile? {
        state.withLock { $0.files[id] }
    }

    /// The files of the bot's document messages in a chat, oldest first.
    public func documents(in chat: Int64) -> [FakeFile] {
        state.withLock { state in
            (state.chats[chat]?.messages ?? []).filter(\.fromBot).compactMap { message in
                message.fileID.flatMap { state.files[$0] }
            }
        }
    }
}
