import Foundation
import TelegramAPI

/// The one summary message of a bulk add or an import: the counts (added / refused / over the limit)
/// and every line's verdict. A list that does not fit Telegram's 4096 characters goes as a text file
/// with the counts as its caption.
enum BulkReport {
    static let fileName = "verdicts.txt"

    static func send(
        _ c: BotContext, title: String, verdicts: [BulkVerdict], read: Int, total: Int, footer: String? = nil,
        keyboard: InlineKeyboardMarkup? = nil
    ) async throws {
        let t = c.texts
        var header = [
            title,
            t.bulkCounts(
                added: verdicts.count { $0.group == .added }, refused: verdicts.count { $0.group == .refused },
                overLimit: verdicts.count { $0.group == .overLimit }),
        ]
        if total > read { header.append(t.bulkCapped(read: read, total: total)) }
        let lines = verdicts.map(t.verdictLine)
        var parts = [header.joined(separator: "\n"), lines.joined(separator: "\n")]
        if let footer { parts.append(footer) }
        let full = parts.joined(separator: "\n\n")
        if TelegramText.visibleLength(ofHTML: full) <= TelegramText.maxLength {
            try await c.reply(full, markup: keyboard.map(ReplyMarkup.inline))
            return
        }
        let plain = TelegramText.plain(
            fromHTML: header.joined(separator: "\n") + "\n\n" + lines.joined(separator: "\n"))
        let caption = ([header.joined(separator: "\n"), t.bulkInFile] + (footer.map { [$0] } ?? [])).joined(
            separator: "\n\n")
        try await c.api.sendDocument(
            chatID: c.chatID,
            file: InputFile(fileName: fileName, mimeType: "text/plain", bytes: Array((plain + "\n").utf8)),
            caption: caption, replyMarkup: keyboard.map(ReplyMarkup.inline))
    }
}
