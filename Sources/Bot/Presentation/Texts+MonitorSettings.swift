import Foundation
import Storage
import Targets
import TelegramAPI

/// The per-monitor settings screen, its prompts and its refusals.
extension Texts {
    var monitorSettingsButton: String { pick("⚙️ Настройки", "⚙️ Settings") }
    var defaultButton: String { pick("↩️ По умолчанию", "↩️ Default") }
    var ownerDefault: String { pick("по умолчанию", "default") }

    func fieldName(_ field: MonitorSettingField) -> String {
        switch field {
        case .interval: pick("Интервал проверки", "Check interval")
        case .failures: pick("Неудач до тревоги", "Failures before an alert")
        case .timeout: pick("Таймаут", "Timeout")
        case .slow: pick("Порог «медленно»", "Slow threshold")
        case .loss: pick("Порог потерь пакетов", "Packet loss threshold")
        case .keyword: pick("Ключевое слово", "Keyword")
        case .status: pick("Ожидаемый статус", "Expected status")
        case .header: pick("Заголовок", "Header")
        }
    }

    func monitorSettingsTitle(_ monitor: MonitorRecord) -> String {
        pick(
            "⚙️ <b>Настройки</b> \(HTML.bold(MonitorFormatting.title(monitor))). Пусто — ваши общие настройки из /settings.",
            "⚙️ <b>Settings</b> of \(HTML.bold(MonitorFormatting.title(monitor))). Unset means your /settings.")
    }

    func methodButton(_ method: String) -> String { pick("Метод: \(method)", "Method: \(method)") }
    func keywordModeButton(absent: Bool) -> String {
        absent
            ? pick("Слово: должно отсутствовать", "Keyword: must be absent")
            : pick("Слово: должно быть", "Keyword: must be present")
    }

    func askSetting(_ field: MonitorSettingField, limits: MonitorSettingLimits, current: String) -> String {
        let now = pick("Сейчас: ", "Now: ") + current
        let ask: String
        switch field {
        case .interval:
            ask = pick(
                "Отправьте интервал в секундах (или <code>5m</code>, <code>1h</code>), от \(limits.minInterval) до 86400.",
                "Send the interval in seconds (or <code>5m</code>, <code>1h</code>), \(limits.minInterval) to 86400.")
        case .failures:
            ask = pick(
                "Сколько неудачных проверок подряд до тревоги (и медленных — до «медленно»)? От 1 до 20.",
                "How many failed checks in a row before an alert (and slow ones before “slow”)? 1 to 20.")
        case .timeout:
            ask = pick(
                "Отправьте таймаут проверки в секундах, от 1 до \(limits.maxTimeout) (CHECK_TIMEOUT).",
                "Send the check timeout in seconds, 1 to \(limits.maxTimeout) (CHECK_TIMEOUT).")
        case .slow:
            ask = pick(
                "Отправьте время ответа в миллисекундах, выше которого проверка считается медленной (1–120000).",
                "Send the response time in milliseconds above which a check counts as slow (1–120000).")
        case .loss:
            ask = pick(
                "Отправьте потерю пакетов в процентах (1–100), с которой проверка считается медленной; каждая проверка шлёт 10 ping.",
                "Send the packet loss in percent (1–100) at which a check counts as slow; each check sends 10 pings.")
        case .keyword:
            ask = pick(
                "Отправьте текст, который должен быть (или отсутствовать) на странице, до 200 символов.",
                "Send the text the page must contain (or must not), up to 200 characters.")
        case .status:
            ask = pick(
                "Отправьте коды или диапазоны через запятую, например <code>200,204</code>, <code>200-299</code> или <code>2xx,301</code>.",
                "Send codes or ranges separated by commas, e.g. <code>200,204</code>, <code>200-299</code> or <code>2xx,301</code>."
            )
        case .header:
            ask = pick(
                "Отправьте один заголовок в виде <code>Имя: значение</code>, например <code>Authorization: Bearer …</code>. Значение хранится, в чате показывается скрытым, в журналы не пишется; ваше сообщение с ним бот удалит.",
                "Send one header as <code>Name: value</code>, e.g. <code>Authorization: Bearer …</code>. The value is stored, shown masked in the chat and never logged; the bot deletes your message with it."
            )
        }
        return ask + "\n" + now
    }

    func settingError(_ error: MonitorSettingError) -> String {
        let again = pick(" Отправьте другое значение или /cancel.", " Send another value or /cancel.")
        let text: String
        switch error {
        case .notANumber: text = pick("Это не целое число.", "That is not a whole number.")
        case .outOfRange(let range):
            text = pick(
                "Вне допустимого: от \(range.lowerBound) до \(range.upperBound).",
                "Out of range: \(range.lowerBound) to \(range.upperBound) allowed.")
        case .status(let status): text = statusError(status)
        case .headerFormat:
            text = pick(
                "Нужно <code>Имя: значение</code>, например <code>Authorization: Bearer abc</code>.",
                "Expected <code>Name: value</code>, e.g. <code>Authorization: Bearer abc</code>.")
        case .headerLineBreak:
            text = pick(
                "В заголовке не должно быть переводов строки (CR/LF): ими подделывают другие заголовки. Ничего не сохранено.",
                "A header must not contain line breaks (CR/LF): they would forge other headers. Nothing was saved.")
        case .headerName:
            text = pick(
                "Недопустимое имя заголовка: только латинские буквы, цифры и <code>-</code>, до 64 символов.",
                "Invalid header name: Latin letters, digits and <code>-</code> only, up to 64 characters.")
        case .headerValueTooLong:
            text = pick("Значение заголовка длиннее 4096 байт.", "The header value is longer than 4096 bytes.")
        case .keywordEmpty: text = pick("Пустое ключевое слово.", "The keyword is empty.")
        case .keywordLineBreak:
            text = pick("Ключевое слово должно быть в одну строку.", "The keyword must be a single line.")
        }
        return "⚠️ " + text + again
    }

    private func statusError(_ error: ExpectedStatus.ParseError) -> String {
        switch error {
        case .empty: pick("Пустой список статусов.", "The status list is empty.")
        case .malformed(let item):
            pick(
                "Не понимаю «\(HTML.escape(item))»: нужен код (<code>204</code>), диапазон (<code>200-299</code>) или класс (<code>2xx</code>).",
                "Cannot read “\(HTML.escape(item))”: expected a code (<code>204</code>), a range (<code>200-299</code>) or a class (<code>2xx</code>)."
            )
        case .outOfRange(let code):
            pick("Код \(code) вне 100–599.", "Status \(code) is outside 100–599.")
        case .reversed(let item):
            pick(
                "В диапазоне «\(HTML.escape(item))» начало больше конца.",
                "The range “\(HTML.escape(item))” starts above its end.")
        case .tooManyItems(let count):
            pick(
                "Слишком много элементов (\(count)); не больше \(ExpectedStatus.maxItems).",
                "Too many items (\(count)); at most \(ExpectedStatus.maxItems).")
        }
    }

    func keywordTruncated(from count: Int) -> String {
        pick(
            "✂️ Ключевое слово из \(count) символов обрезано до \(MonitorSettingLimits.maxKeyword).",
            "✂️ The keyword of \(count) characters was cut to \(MonitorSettingLimits.maxKeyword).")
    }

    var settingSaved: String { pick("Сохранено.", "Saved.") }
    var settingReset: String { pick("Сброшено: действует значение по умолчанию.", "Reset: the default applies.") }
    var headKeywordNote: String {
        pick("(с HEAD ключевое слово не проверяется)", "(with HEAD the keyword is not checked)")
    }

    // MARK: Item view

    var statusSlow: String { pick("работает медленно", "slow") }
    var labelCertificate: String { pick("Сертификат", "Certificate") }
    func certificateLine(_ certificate: CertificateRecord, now: Date) -> String {
        let days = Int((certificate.notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
        var line =
            "\(labelCertificate): "
            + pick(
                "до \(MonitorFormatting.timestamp(certificate.notAfter, self)) (\(days) дн.)",
                "until \(MonitorFormatting.timestamp(certificate.notAfter, self)) (\(days) d)")
        if let issuer = certificate.issuer {
            line += pick(", издатель ", ", issuer ") + HTML.escape(String(issuer.prefix(200)))
        }
        return line
    }
    func slowShare(_ text: String) -> String { pick("медленно \(text)", "slow \(text)") }
}
