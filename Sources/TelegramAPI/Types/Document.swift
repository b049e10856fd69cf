/// A general file in a message (https://core.telegram.org/bots/api#document). Telegram announces
/// `fileSize` before anything is downloaded: a bot reads it to refuse a large file without fetching it.
public struct Document: Codable, Sendable, Hashable {
    /// For getFile and for sending the same file again; valid for this bot only.
    public var fileID: String
    /// The same file for every bot and over time; cannot be used to download.
    public var fileUniqueID: String
    public var fileName: String?
    public var mimeType: String?
    /// Bytes, when Telegram knows them (it may leave it out).
    public var fileSize: Int64?

    public init(
        fileID: String, fileUniqueID: String, fileName: String? = nil, mimeType: String? = nil, fileSize: Int64? = nil
    ) {
        self.fileID = fileID
        self.fileUniqueID = fileUniqueID
        self.fileName = fileName
        self.mimeType = mimeType
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id"
        case fileUniqueID = "file_unique_id"
        case fileName = "file_name"
        case mimeType = "mime_type"
        case fileSize = "file_size"
    }
}

/// A file ready to download (https://core.telegram.org/bots/api#file), the result of getFile:
/// `filePath` goes into `/file/bot<token>/<file_path>` and stays valid for at least an hour.
public struct TelegramFile: Codable, Sendable, Hashable {
    public var fileID: String
    public var fileUniqueID: String
    public var fileSize: Int64?
    public var filePath: String?

    public init(fileID: String, fileUniqueID: String, fileSize: Int64? = nil, filePath: String? = nil) {
        self.fileID = fileID
        self.fileUniqueID = fileUniqueID
        self.fileSize = fileSize
        self.filePath = filePath
    }

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id"
        case fileUniqueID = "file_unique_id"
        case fileSize = "file_size"
        case filePath = "file_path"
    }
}
