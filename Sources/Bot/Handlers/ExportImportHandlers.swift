import FSM
import Foundation
import Storage
import TelegramAPI

/// /export (and the buttons under /monitoring): one's monitors as a JSON or CSV file. A document sent
/// to the bot: read as an export (or a list) and added line by line like a pasted list. Neither moves
/// the conversation: a dialog in progress stays where it was.
enum ExportImportHandlers {
    /// `/export` (JSON) or `/export csv`.
    static func exportCommand(_ c: BotContext) async throws {
        let argument = c.message?.command?.arguments.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        try await export(c, format: MonitorExport.Format(rawValue: argument) ?? .json)
    }

    static func exportButton(_ c: BotContext) async throws {
        guard let raw = c.callback?.data?.dropFirst(CallbackData.export.count),
            let format = MonitorExport.Format(rawValue: String(raw))
        else {
            c.answer(c.texts.outdatedButton)
            return
        }
        c.answer()
        try await export(c, format: format)
    }

    static func export(_ c: BotContext, format: MonitorExport.Format) async throws {
        let monitors = try await c.dependencies.catalog.list(ownerID: c.from.id)
        guard !monitors.isEmpty else {
            try await c.reply(c.texts.exportNothing)
            return
        }
        let file = InputFile(
            fileName: MonitorExport.fileName(format), mimeType: format.mimeType,
            bytes: try MonitorExport.encode(monitors, as: format))
        try await c.api.sendDocument(chatID: c.chatID, file: file, caption: c.texts.exportCaption(monitors.count))
    }

    static func importDocument(_ c: BotContext) async throws {
        guard let document = c.message?.document else { return }
        let limit = MonitorImport.maxBytes
        // Telegram announces the size: a file over the limit is refused without being fetched.
        if let size = document.fileSize, size > limit {
            try await c.reply(c.texts.importTooLarge(limit))
            return
        }
        let bytes: [UInt8]
        do throws(TelegramError) {
            bytes = try await c.api.download(fileID: document.fileID, maxBytes: limit)
        } catch .fileTooLarge {
            try await c.reply(c.texts.importTooLarge(limit))
            return
        } catch {
            c.logger.warning("could not download an imported file", metadata: ["error": "\(error)"])
            try await c.reply(c.texts.importDownloadFailed)
            return
        }
        let parsed: (entries: [BulkEntry], total: Int)
        do throws(MonitorImport.Refusal) {
            parsed = try MonitorImport.entries(from: bytes)
        } catch {
            switch error {
            case .binary: try await c.reply(c.texts.importBinary)
            case .empty: try await c.reply(c.texts.importEmpty)
            case .invalidJSON(let detail): try await c.reply(c.texts.importInvalidJSON(detail))
            }
            return
        }
        let verdicts = try await BulkAdd.run(parsed.entries, chosenKind: nil, c)
        if verdicts.contains(where: { $0.group == .added }),
            try await c.fsm.getData()[AddMonitorDialog.countedUnderLimit] != nil
        {
            // An add dialog in progress keeps its step; only its count is stale now.
            try await c.fsm.updateData([AddMonitorDialog.countedUnderLimit: .null])
        }
        try await BulkReport.send(
            c, title: c.texts.importTitle(document.fileName ?? "file", records: parsed.total), verdicts: verdicts,
            read: parsed.entries.count, total: parsed.total)
    }
}
