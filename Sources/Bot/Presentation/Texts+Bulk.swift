import Foundation
import Storage
import TelegramAPI

/// Bulk add, export and import.
extension Texts {
    func bulkTitle(lines: Int) -> String {
        pick("📋 <b>Добавление списком</b>: строк — \(lines)", "📋 <b>Bulk add</b>: \(lines) lines")
    }
    func importTitle(_ fileName: String, records: Int) -> String {
        pick(
            "📥 <b>Импорт</b> \(HTML.code(fileName)): записей — \(records)",
            "📥 <b>Import</b> of \(HTML.code(fileName)): \(records) records")
    }
    func bulkCounts(added: Int, refused: Int, overLimit: Int) -> String {
        pick(
            "✅ Добавлено: \(added) · ⛔ Отклонено: \(refused) · ⏳ Сверх лимита: \(overLimit)",
            "✅ Added: \(added) · ⛔ Refused: \(refused) · ⏳ Over the limit: \(overLimit)")
    }
    func bulkCapped(read: Int, total: Int) -> String {
        pick(
            "✂️ Прочитаны первые \(read) из \(total) (не больше \(BulkInput.maxEntries) за раз); остальные отправьте следующим сообщением.",
            "✂️ Only the first \(read) of \(total) were read (at most \(BulkInput.maxEntries) at a time); send the rest in another message."
        )
    }
    var bulkInFile: String {
        pick(
            "Список решений по строкам длинный — он в файле ниже.",
            "The verdict for each line is long, so it is in the file below.")
    }
    var bulkMore: String {
        pick(
            "Можно отправить ещё список, нажать «Готово» или /cancel.",
            "You can send another list, press “Done” or /cancel.")
    }
    var doneButton: String { pick("✔️ Готово", "✔️ Done") }
    var bulkHint: String {
        pick(
            "Можно отправить и список: по строке на объект — <code>адрес</code>, <code>название адрес</code> или <code>название | адрес</code>.",
            "You can also send a list, one per line: <code>address</code>, <code>name address</code> or <code>name | address</code>."
        )
    }

    /// One line of the verdict list (HTML).
    func verdictLine(_ verdict: BulkVerdict) -> String {
        let target = HTML.code(TelegramText.truncated(verdict.target, toUTF16: 80))
        let prefix = pick("Строка \(verdict.line)", "Line \(verdict.line)")
        switch verdict.outcome {
        case .added(let monitor):
            return "\(prefix): ✅ \(HTML.escape(monitor.name)) — \(target)"
        case .invalidTarget(let error):
            return "\(prefix): ⛔ \(target) — \(targetError(error))"
        case .invalidName:
            return "\(prefix): ⛔ \(target) — \(nameInvalid)"
        case .unknownKind(let kind):
            return "\(prefix): ⛔ \(target) — "
                + pick(
                    "неизвестный тип \(HTML.code(TelegramText.truncated(kind, toUTF16: 20)))",
                    "unknown kind \(HTML.code(TelegramText.truncated(kind, toUTF16: 20)))")
        case .denied(let reason):
            return "\(prefix): ⛔ \(target) — " + pick("не принят: ", "refused by the target policy: ")
                + HTML.escape(reason)
        case .alreadyWatched:
            return "\(prefix): 🔁 \(target) — " + pick("уже отслеживается", "already watched")
        case .repeated(let line):
            return "\(prefix): 🔁 \(target) — " + pick("повтор строки \(line)", "repeats line \(line)")
        case .limitReached(let limit):
            return "\(prefix): ⏳ \(target) — "
                + pick(
                    "сверх предела \(limit) объектов (MAX_MONITORS_PER_USER)",
                    "over the limit of \(limit) monitors (MAX_MONITORS_PER_USER)")
        case .tooManyAdds(let perMinute):
            return "\(prefix): ⏳ \(target) — "
                + pick(
                    "сверх \(perMinute) добавлений в минуту (MAX_ADDS_PER_MINUTE): отправьте ещё раз через минуту",
                    "over \(perMinute) additions per minute (MAX_ADDS_PER_MINUTE): send it again in a minute")
        }
    }

    // MARK: Export and import

    var exportJSONButton: String { pick("📤 Экспорт JSON", "📤 Export JSON") }
    var exportCSVButton: String { pick("📤 Экспорт CSV", "📤 Export CSV") }
    func exportCaption(_ count: Int) -> String {
        pick(
            "📤 Ваши объекты: \(count). Отправьте этот файл боту, чтобы добавить их снова (например, другому пользователю). В файле только название, тип, адрес и пауза — без секретов (заголовки и прочие настройки не выгружаются).",
            "📤 Your monitors: \(count). Send this file to the bot to add them again (e.g. as another user). It holds only name, kind, address and pause, no secrets (headers and other options are left out)."
        )
    }
    var exportNothing: String {
        pick("Экспортировать нечего: список пуст.", "Nothing to export: the list is empty.")
    }
    func importTooLarge(_ limit: Int) -> String {
        pick(
            "⛔ Файл больше \(limit / 1024) КБ — не загружаю. Разбейте его на части.",
            "⛔ The file is larger than \(limit / 1024) KB, so I did not download it. Please split it.")
    }
    var importBinary: String {
        pick(
            "⛔ Это не текстовый файл (двоичные данные или не UTF-8). Пришлите экспорт JSON или CSV, или текст по строке на объект.",
            "⛔ That is not a text file (binary data or not UTF-8). Send a JSON or CSV export, or text with one monitor a line."
        )
    }
    var importEmpty: String { pick("⛔ Файл пустой.", "⛔ The file is empty.") }
    func importInvalidJSON(_ detail: String) -> String {
        pick(
            "⛔ JSON не похож на экспорт бота (\(HTML.escape(detail))).",
            "⛔ The JSON is not an export of this bot (\(HTML.escape(detail))).")
    }
    var importDownloadFailed: String {
        pick(
            "⚠️ Не удалось скачать файл из Telegram. Отправьте его ещё раз через минуту.",
            "⚠️ Could not download the file from Telegram. Please send it again in a minute.")
    }
}
