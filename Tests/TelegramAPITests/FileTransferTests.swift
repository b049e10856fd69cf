import FakeTelegramAPI
import Foundation
import TelegramAPI
import TestSupport
import Testing

/// sendDocument (a multipart/form-data upload), getFile and the `/file/bot<token>/<path>` download,
/// client and fake together, with Telegram's JSON shapes and limits.
struct FileTransferTests {
    @Test func aDocumentUploadsAsMultipartWithItsNameTypeCaptionAndKeyboard() async throws {
        try await withBotAPI { api in
            // Bytes a naive encoder would break: CRLF, a boundary-like line, NUL, non-UTF-8.
            let bytes = Array("name,target\r\n--UptimeBot-x\r\n".utf8) + [0, 0xFF, 0xFE] + Array("конец".utf8)
            let menu = InlineKeyboardMarkup([[try .callback("Done", data: "bd")]])
            let sent = try await api.client().sendDocument(
                chatID: FakeUser.anna.chatID,
                file: InputFile(fileName: "мои \"объекты\".csv", mimeType: "text/csv", bytes: bytes),
                caption: "<b>Экспорт</b> &amp; co", replyMarkup: .inline(menu))
            #expect(sent.document?.fileName == "мои \"объекты\".csv")
            #expect(sent.document?.mimeType == "text/csv")
            #expect(sent.document?.fileSize == Int64(bytes.count))
            #expect(sent.caption == "Экспорт & co")
            let call = try #require(api.fake.calls(method: "sendDocument").last)
            #expect(call.params["chat_id"]?.intValue == FakeUser.anna.chatID)
            #expect(call.params["document"]?["file_size"]?.intValue == Int64(bytes.count))
            let shown = try #require(api.fake.lastMessage(in: FakeUser.anna.chatID))
            #expect(shown.buttons.map(\.callbackData) == ["bd"])
            let stored = try #require(api.fake.documents(in: FakeUser.anna.chatID).last)
            #expect(stored.bytes == bytes)
        }
    }

    @Test func getFileAndTheDownloadPathReturnTheBytesAUserSent() async throws {
        try await withBotAPI { api in
            let bytes = Array(repeating: UInt8(ascii: "x"), count: 70_000) + Array("\n10.0.0.1\n".utf8)
            api.fake.sendDocument(from: .anna, fileName: "list.txt", mimeType: "text/plain", bytes: bytes)
            let update = try #require(try await api.client().call(GetUpdates(timeout: 0)).first)
            let document = try #require(update.message?.document)
            #expect(document.fileName == "list.txt")
            #expect(document.mimeType == "text/plain")
            #expect(document.fileSize == Int64(bytes.count))
            #expect(!document.fileUniqueID.isEmpty)
            let file = try await api.client().getFile(id: document.fileID)
            #expect(file.fileSize == Int64(bytes.count))
            #expect(file.filePath?.hasPrefix("documents/") == true)
            #expect(try await api.client().download(fileID: document.fileID, maxBytes: 1 << 20) == bytes)
            #expect(api.fake.calls(method: "downloadFile").count == 1)
        }
    }

    @Test func aDownloadOverTheCallersLimitStopsWithFileTooLarge() async throws {
        try await withBotAPI { api in
            // No size announced anywhere: only the download itself can tell.
            api.fake.sendDocument(
                from: .anna, fileName: "big.txt", mimeType: "text/plain", bytes: Array(repeating: 65, count: 300_000),
                announcesSize: false)
            let update = try #require(try await api.client().call(GetUpdates(timeout: 0)).first)
            let document = try #require(update.message?.document)
            #expect(document.fileSize == nil)
            await #expect(throws: TelegramError.fileTooLarge(method: "downloadFile", limit: 100_000)) {
                _ = try await api.client().download(fileID: document.fileID, maxBytes: 100_000)
            }
        }
    }

    @Test func getFileRefusesFilesOverTwentyMegabytesAndUnknownIDsAsTelegramDoes() async throws {
        try await withBotAPI { api in
            api.fake.sendDocument(
                from: .anna, fileName: "huge.bin", mimeType: "application/octet-stream",
                bytes: Array(repeating: 0, count: GetFile.maxDownloadBytes + 1))
            let update = try #require(try await api.client().call(GetUpdates(timeout: 0)).first)
            let id = try #require(update.message?.document?.fileID)
            await #expect(
                throws: TelegramError.badRequest(method: "getFile", description: "Bad Request: file is too big")
            ) {
                _ = try await api.client().getFile(id: id)
            }
            await #expect(
                throws: TelegramError.badRequest(
                    method: "getFile", description: "Bad Request: wrong file_id or the file is temporarily unavailable")
            ) {
                _ = try await api.client().getFile(id: "nope")
            }
        }
    }

    @Test func aFilePathThatCouldLeaveTheFileDirectoryIsNeverRequested() async throws {
        try await withBotAPI { api in
            for path in ["../bot123/getMe", "documents/../x", "/etc/passwd", "a?b", "documents/x y", ""] {
                await #expect(throws: TelegramError.self, "\(path)") {
                    _ = try await api.client().downloadFile(path: path, maxBytes: 1000)
                }
            }
            #expect(api.fake.calls(method: "downloadFile").isEmpty)
            await #expect(throws: TelegramError.notFound(method: "downloadFile")) {
                _ = try await api.client().downloadFile(path: "documents/file_404.txt", maxBytes: 1000)
            }
        }
    }

    @Test func anEmptyUploadIsRefusedAsTelegramRefusesIt() async throws {
        try await withBotAPI { api in
            await #expect(
                throws: TelegramError.badRequest(
                    method: "sendDocument", description: "Bad Request: file must be non-empty")
            ) {
                _ = try await api.client().sendDocument(
                    chatID: FakeUser.anna.chatID, file: InputFile(fileName: "e.txt", mimeType: "text/plain", bytes: []))
            }
        }
    }
}
