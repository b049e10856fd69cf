import Foundation
import Storage
import Targets
import TelegramAPI

extension Texts {
    func listTitle(count: Int, limit: Int) -> String {
        pick("<b>Мониторинг</b> — \(count) из \(limit)", "<b>Monitoring</b> — \(count) of \(limit)")
    }
    var listEmpty: String {
        pick(
            "Пока ничего не отслеживается. Нажмите «➕ Добавить», чтобы добавить устройство, сайт, TCP-порт или DNS-имя.",
            "Nothing is watched yet. Press “➕ Add” to add a device, a site, a TCP port or a DNS name.")
    }
    var addButton: String { pick("➕ Добавить", "➕ Add") }
    var chooseKind: String { pick("Что добавить?", "What would you like to add?") }
    var kindDevice: String { pick("🖥 Устройство (IP / хост)", "🖥 Device (IP / host)") }
    var kindSite: String { pick("🌐 Сайт (URL)", "🌐 Site (URL)") }
    func askTarget(_ kind: TargetKind) -> String {
        switch kind {
        case .icmp:
            pick(
                "Отправьте IP-адрес или имя хоста, например <code>10.0.0.1</code> или <code>router.local</code>.",
                "Send the IP address or host name, e.g. <code>10.0.0.1</code> or <code>router.local</code>.")
        case .http:
            pick(
                "Отправьте адрес сайта, например <code>https://example.org</code>.",
                "Send the site address, e.g. <code>https://example.org</code>.")
        case .tcp: askTCPTarget
        case .dns: askDNSTarget
        }
    }
    var askName: String {
        pick(
            "Как назвать? Отправьте название или нажмите «Пропустить».",
            "What should I call it? Send a name or press “Skip”.")
    }
    var skipButton: String { pick("Пропустить", "Skip") }
    func added(_ monitor: MonitorRecord) -> String {
        pick(
            "✅ Добавлено: \(HTML.bold(MonitorFormatting.title(monitor))) (\(HTML.code(monitor.target))). Первая проверка — в течение минуты.",
            "✅ Added: \(HTML.bold(MonitorFormatting.title(monitor))) (\(HTML.code(monitor.target))). The first check runs within a minute."
        )
    }
    var duplicate: String {
        pick(
            "Это уже отслеживается. Отправьте другой адрес или /cancel.",
            "You already watch this. Send another address or /cancel.")
    }
    func limitReached(_ limit: Int) -> String {
        pick(
            "Достигнут предел: \(limit) объектов (MAX_MONITORS_PER_USER). Удалите что-нибудь, чтобы добавить новое.",
            "You reached the limit of \(limit) monitors (MAX_MONITORS_PER_USER). Delete one to add another.")
    }
    func tooManyAdds(_ perMinute: Int) -> String {
        pick(
            "Слишком часто: не больше \(perMinute) добавлений в минуту (MAX_ADDS_PER_MINUTE). Попробуйте ещё раз через минуту.",
            "Too fast: at most \(perMinute) additions per minute (MAX_ADDS_PER_MINUTE). Try again in a minute."
        )
    }
    func intervalTooShort(_ minimum: Int) -> String {
        pick(
            "Интервал короче допустимого: не меньше \(MonitorFormatting.duration(minimum, self)) (MIN_CHECK_INTERVAL).",
            "That interval is too short: at least \(MonitorFormatting.duration(minimum, self)) (MIN_CHECK_INTERVAL).")
    }
    var notFound: String {
        pick("Этот объект не найден: возможно, он уже удалён.", "This monitor was not found; it may have been deleted.")
    }
    var nameInvalid: String {
        pick(
            "Название должно быть от 1 до 64 символов, без служебных символов. Попробуйте ещё раз.",
            "A name must be 1 to 64 characters, without control characters. Please try again.")
    }

    /// The target policy refused the address; `reason` names the rule (TARGET_DENY, TARGET_ALLOW, built-in).
    func targetDenied(_ reason: String) -> String {
        pick(
            "⛔ Адрес не принят: \(HTML.escape(reason)). Отправьте другой адрес или /cancel.",
            "⛔ The bot's target policy refuses this address: \(HTML.escape(reason)). Send another address or /cancel.")
    }

    func resumeDenied(_ reason: String) -> String {
        pick(
            "⛔ Монитор не возобновлён: \(HTML.escape(reason)).",
            "⛔ Not resumed: the bot's target policy refuses this address: \(HTML.escape(reason)).")
    }

    func targetError(_ error: TargetError) -> String {
        switch error {
        case .empty: pick("Пустой адрес. Отправьте адрес ещё раз.", "The address is empty. Please send it again.")
        case .tooLong:
            pick(
                "Слишком длинный адрес (не больше 2000 символов).", "The address is too long (2000 characters at most)."
            )
        case .invisibleCharacters:
            pick(
                "В адресе есть невидимые символы (нулевой ширины или смены направления). Наберите его заново.",
                "The address contains invisible characters (zero-width or direction marks). Please type it again.")
        case .invalidIPv4:
            pick(
                "Это не IPv4-адрес: каждое из четырёх чисел должно быть от 0 до 255.",
                "That is not an IPv4 address: each of the four numbers must be 0 to 255.")
        case .invalidHost:
            pick(
                "Это не IP-адрес и не имя хоста. Пример: <code>10.0.0.1</code>, <code>2001:db8::1</code> или <code>server.example.org</code>.",
                "That is neither an IP address nor a host name. Example: <code>10.0.0.1</code>, <code>2001:db8::1</code> or <code>server.example.org</code>."
            )
        case .unsupportedScheme:
            pick(
                "Поддерживаются только адреса http:// и https://.", "Only http:// and https:// addresses are supported."
            )
        case .missingHost:
            pick(
                "В адресе нет имени сайта. Пример: <code>https://example.org</code>.",
                "The address has no host. Example: <code>https://example.org</code>.")
        case .credentials:
            pick(
                "Не указывайте логин и пароль в адресе — они попадут в базу открытым текстом.",
                "Do not put a user name or password in the address: they would be stored in plain text.")
        case .invalidURL:
            pick(
                "Это не похоже на адрес сайта. Пример: <code>https://example.org/health</code>.",
                "That does not look like a site address. Example: <code>https://example.org/health</code>.")
        case .invalidPort: pick("Неверный порт: допустимо от 1 до 65535.", "Invalid port: 1 to 65535 allowed.")
        case .network(let error): networkTargetError(error)
        }
    }

    // MARK: Item view

    func kindName(_ kind: TargetKind) -> String {
        switch kind {
        case .icmp: pick("устройство (ping)", "device (ping)")
        case .http: pick("сайт (HTTP)", "site (HTTP)")
        case .tcp: pick("TCP-порт", "TCP port")
        case .dns: pick("DNS-имя", "DNS name")
        }
    }
    func statusName(_ monitor: MonitorRecord) -> String {
        if !monitor.enabled { return pick("на паузе", "paused") }
        switch monitor.status {
        case .unknown: return pick("ещё не проверялось", "not checked yet")
        case .up: return monitor.slow.active ? statusSlow : pick("работает", "up")
        case .down: return pick("не отвечает", "down")
        }
    }
    var renameButton: String { pick("✏️ Переименовать", "✏️ Rename") }
    var retargetButton: String { pick("🎯 Изменить адрес", "🎯 Change address") }
    var pauseButton: String { pick("⏸ Пауза", "⏸ Pause") }
    var resumeButton: String { pick("▶️ Возобновить", "▶️ Resume") }
    var deleteButton: String { pick("🗑 Удалить", "🗑 Delete") }
    var confirmDeleteButton: String { pick("🗑 Да, удалить", "🗑 Yes, delete") }
    func confirmDelete(_ monitor: MonitorRecord) -> String {
        pick(
            "Удалить \(HTML.bold(MonitorFormatting.title(monitor))) (\(HTML.code(monitor.target))) вместе с историей проверок?",
            "Delete \(HTML.bold(MonitorFormatting.title(monitor))) (\(HTML.code(monitor.target))) and its check history?"
        )
    }
    /// A toast (answerCallbackQuery): plain text, not HTML.
    func deletedToast(_ name: String) -> String { pick("🗑 Удалено: \(name)", "🗑 Deleted: \(name)") }
    var askNewName: String { pick("Отправьте новое название.", "Send the new name.") }
    var renamed: String { pick("Название изменено.", "Renamed.") }
    var retargeted: String {
        pick(
            "Адрес изменён; статус сброшен до следующей проверки.",
            "Address changed; the status resets until the next check.")
    }
    var paused: String { pick("Поставлено на паузу.", "Paused.") }
    var resumed: String { pick("Проверки возобновлены.", "Checks resumed.") }
    var labelTarget: String { pick("Адрес", "Address") }
    var labelKind: String { pick("Тип", "Kind") }
    var labelStatus: String { pick("Статус", "Status") }
    var labelSince: String { pick("с", "since") }
    var labelLastCheck: String { pick("Последняя проверка", "Last check") }
    var labelUptime: String { pick("Доступность", "Uptime") }
    var labelRecent: String { pick("Время ответа", "Response time") }
    var noData: String { pick("нет данных", "no data") }
    var msUnit: String { pick("мс", "ms") }
}
