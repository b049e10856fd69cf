import Targets
import TelegramAPI

/// What the add and edit dialogs say about TCP ports and DNS names: the prompts and each refusal.
extension Texts {
    var kindTCP: String { pick("🔌 TCP-порт (хост:порт)", "🔌 TCP port (host:port)") }
    var kindDNS: String { pick("🧭 DNS-имя", "🧭 DNS name") }

    var askTCPTarget: String {
        pick(
            "Отправьте хост и порт, например <code>10.0.0.5:22</code> или <code>[2001:db8::1]:443</code>. Проверка баннера: <code>tcp://mail.local:25?expect=220</code>; текст для отправки — <code>send=</code> (CR/LF как <code>%0D%0A</code>).",
            "Send the host and port, e.g. <code>10.0.0.5:22</code> or <code>[2001:db8::1]:443</code>. A banner check: <code>tcp://mail.local:25?expect=220</code>; text to send: <code>send=</code> (CR/LF as <code>%0D%0A</code>)."
        )
    }

    var askDNSTarget: String {
        pick(
            "Отправьте имя для проверки, например <code>intranet.corp</code> (системный DNS) или <code>dns://10.0.0.53/intranet.corp?type=A&amp;expect=10.0.0.7</code>. Типы: A, AAAA, CNAME, MX, TXT; <code>match=equals</code> — точное совпадение; <code>rcode=NXDOMAIN</code> — ожидаемый код ответа.",
            "Send the name to check, e.g. <code>intranet.corp</code> (the system DNS) or <code>dns://10.0.0.53/intranet.corp?type=A&amp;expect=10.0.0.7</code>. Types: A, AAAA, CNAME, MX, TXT; <code>match=equals</code> for an exact answer; <code>rcode=NXDOMAIN</code> for the expected response code."
        )
    }

    func networkTargetError(_ error: NetworkTargetError) -> String {
        switch error {
        case .invalidHost:
            pick(
                "Это не IP-адрес и не имя хоста. Пример: <code>10.0.0.5:22</code> или <code>[2001:db8::1]:443</code>.",
                "That is neither an IP address nor a host name. Example: <code>10.0.0.5:22</code> or <code>[2001:db8::1]:443</code>."
            )
        case .missingPort:
            pick(
                "Укажите порт после двоеточия, например <code>server.local:443</code>.",
                "Add the port after a colon, e.g. <code>server.local:443</code>.")
        case .invalidPort: pick("Неверный порт: допустимо от 1 до 65535.", "Invalid port: 1 to 65535 allowed.")
        case .nameHasSpaces: pick("В DNS-имени не может быть пробелов.", "A DNS name cannot contain spaces.")
        case .emptyLabel:
            pick(
                "В DNS-имени пустая часть (две точки подряд или точка в начале).",
                "The DNS name has an empty label (two dots in a row, or a leading dot).")
        case .invalidName:
            pick(
                "Это не DNS-имя: части из латинских букв, цифр и дефисов, до 63 символов, всего до 253.",
                "That is not a DNS name: labels of Latin letters, digits and hyphens, up to 63 characters, 253 in all.")
        case .unknownRecordType(let type):
            pick(
                "Тип записи \(HTML.code(type)) не поддерживается: A, AAAA, CNAME, MX или TXT.",
                "Record type \(HTML.code(type)) is not supported: A, AAAA, CNAME, MX or TXT.")
        case .unknownResponseCode(let code):
            pick(
                "Код ответа \(HTML.code(code)) неизвестен: NOERROR, NXDOMAIN, SERVFAIL, REFUSED, FORMERR или NOTIMP.",
                "Response code \(HTML.code(code)) is unknown: NOERROR, NXDOMAIN, SERVFAIL, REFUSED, FORMERR or NOTIMP.")
        case .unknownMatch(let match):
            pick(
                "Сравнение \(HTML.code(match)) неизвестно: contains или equals.",
                "Match \(HTML.code(match)) is unknown: contains or equals.")
        case .unknownParameter(let name):
            pick(
                "Параметр \(HTML.code(name)) здесь не используется.", "Parameter \(HTML.code(name)) is not used here.")
        case .invalidParameter(let name):
            pick(
                "Параметр \(HTML.code(name)) пустой, повторён или с неверной %-последовательностью.",
                "Parameter \(HTML.code(name)) is empty, repeated or has a broken %-escape.")
        case .sendTooLong(let limit):
            pick(
                "Текст для отправки слишком длинный: не больше \(limit) байт.",
                "The text to send is too long: \(limit) bytes at most.")
        case .expectTooLong(let limit):
            pick(
                "Ожидаемый ответ слишком длинный: не больше \(limit) байт.",
                "The expected reply is too long: \(limit) bytes at most.")
        case .missingName:
            pick(
                "Укажите имя: <code>dns:///имя</code> (системный DNS) или <code>dns://сервер/имя</code>.",
                "Give the name: <code>dns:///name</code> (the system DNS) or <code>dns://server/name</code>.")
        }
    }
}
