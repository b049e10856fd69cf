import Foundation
import HumanFormatting
import TelegramAPI

/// Everything the bot says, in Russian (the default) and English. Values inserted into HTML texts
/// are escaped here, so handlers never build markup from user input.
public struct Texts: Sendable {
    public let language: Language
    /// The zone the user reads times in (their setting, else `TZ`).
    public let zone: ChatTimeZone

    public init(language: Language, zone: ChatTimeZone = .utc) {
        self.language = language
        self.zone = zone
    }

    func pick(_ ru: String, _ en: String) -> String { language == .ru ? ru : en }

    // MARK: Sign-in and menus

    func greeting(name: String) -> String {
        pick(
            "Привет, \(HTML.escape(name))! Я слежу за вашими устройствами и сайтами и пишу, когда что-то упало и когда поднялось.\n\nЧтобы войти, поделитесь номером телефона кнопкой ниже.",
            "Hi, \(HTML.escape(name))! I watch your devices and sites and tell you when something goes down and when it is back.\n\nTo sign in, share your phone number with the button below."
        )
    }
    var sharePhoneButton: String { pick("📱 Поделиться номером", "📱 Share phone number") }
    var signInFirst: String {
        pick(
            "Сначала войдите: отправьте /start и поделитесь номером телефона.",
            "Please sign in first: send /start and share your phone number.")
    }
    var shareOwnContact: String {
        pick(
            "Это не ваш контакт. Нажмите кнопку «Поделиться номером», чтобы отправить свой.",
            "That is not your own contact. Press “Share phone number” to send yours.")
    }
    var phoneNotAllowed: String {
        pick(
            "Этот номер не допущен к боту. Обратитесь к администратору.",
            "This phone number is not allowed to use the bot. Please contact the administrator.")
    }
    func signedIn(name: String) -> String {
        pick(
            "Готово, \(HTML.escape(name)), вы вошли. Откройте /monitoring, чтобы добавить устройство или сайт.",
            "Done, \(HTML.escape(name)), you are signed in. Open /monitoring to add a device or a site.")
    }
    func welcomeBack(name: String) -> String {
        pick(
            "С возвращением, \(HTML.escape(name))! Выберите действие в меню.",
            "Welcome back, \(HTML.escape(name))! Choose from the menu.")
    }
    var menuMonitoring: String { pick("📋 Мониторинг", "📋 Monitoring") }
    var menuSettings: String { pick("⚙️ Настройки", "⚙️ Settings") }
    var menuHelp: String { pick("❓ Помощь", "❓ Help") }
    var cancelled: String { pick("Отменено.", "Cancelled.") }
    var nothingToCancel: String { pick("Сейчас нечего отменять.", "There is nothing to cancel.") }
    var hint: String {
        pick(
            "Не понял. Команды: /monitoring — ваши устройства и сайты, /settings — настройки, /help — помощь.",
            "I did not get that. Commands: /monitoring — your devices and sites, /settings — settings, /help — help.")
    }
    var outdatedButton: String { pick("Эта кнопка устарела.", "This button is outdated.") }
    var somethingWentWrong: String {
        pick(
            "⚠️ Что-то пошло не так, ничего не потеряно. Попробуйте ещё раз через минуту.",
            "⚠️ Something went wrong; nothing was lost. Please try again in a minute.")
    }
    var cancelButton: String { pick("✖️ Отмена", "✖️ Cancel") }
    var backButton: String { pick("« Назад", "« Back") }

    var help: String {
        pick(
            """
            <b>Что я умею</b>
            Слежу за устройствами (IP-адрес или имя хоста — проверяю ping) и сайтами (http/https — проверяю, что страница открывается), и пишу вам, когда что-то перестало отвечать и когда снова заработало.

            <b>Команды</b>
            /monitoring — список, добавить, изменить, удалить
            /add — добавить; можно сразу списком, по строке на объект
            /export — выгрузить список в файл (JSON; /export csv — CSV); пришлите такой файл боту, чтобы добавить всё из него
            /settings — язык, порог тревоги, интервал, тишина
            /cancel — выйти из текущего диалога
            /help — эта справка

            <b>Частые вопросы</b>
            • <i>Почему тревога пришла не сразу?</i> Я сообщаю о падении только после нескольких неудачных проверок подряд (по умолчанию 3), чтобы не тревожить из-за одной потери пакета. Порог меняется в /settings.
            • <i>Как часто проверка?</i> Раз в минуту по умолчанию; см. /settings.
            • <i>Что значит ⚪?</i> Ещё не проверялось. 🟢 — работает, 🔴 — не отвечает, ⏸ — на паузе.
            • <i>Как временно отключить уведомления?</i> /settings → «Тишина».
            """,
            """
            <b>What I do</b>
            I watch devices (an IP address or host name — checked with ping) and sites (http/https — checked that the page loads), and tell you when something stops answering and when it works again.

            <b>Commands</b>
            /monitoring — list, add, edit, delete
            /add — add one, or a list with one per line
            /export — the list as a file (JSON; /export csv for CSV); send such a file to the bot to add everything in it
            /settings — language, alert threshold, interval, mute
            /cancel — leave the current dialog
            /help — this help

            <b>Questions people ask</b>
            • <i>Why did the alert not come at once?</i> I report a failure only after several failed checks in a row (3 by default), so one lost packet does not wake you. Change it in /settings.
            • <i>How often do you check?</i> Once a minute by default; see /settings.
            • <i>What does ⚪ mean?</i> Not checked yet. 🟢 up, 🔴 down, ⏸ paused.
            • <i>How do I silence alerts for a while?</i> /settings → “Mute”.
            """)
    }
}
