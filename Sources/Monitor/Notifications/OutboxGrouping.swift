import Storage
import TelegramAPI

/// Packs a chat's pending alerts into as few Telegram messages as fit: a switch that died takes
/// twenty devices with it, and their owner should get one message, not twenty.
enum OutboxGrouping {
    /// One Telegram message and the outbox messages it carries.
    struct Part: Sendable {
        var text: String
        var messages: [OutboxMessage]
        /// The alerts' buttons: one alert's as they are, several in one row each (or "open all").
        var replyMarkup: InlineKeyboardMarkup?

        init(text: String, messages: [OutboxMessage], replyMarkup: InlineKeyboardMarkup? = nil) {
            self.text = text
            self.messages = messages
            self.replyMarkup = replyMarkup
        }
    }

    /// Alerts in order, joined under a header when there are several; split where a message would
    /// grow past `maxLength` (UTF-16 units of the visible text, Telegram's measure).
    /// `headerAlways`: a single alert gets the header too (summaries say why the message is late).
    static func messages(
        _ alerts: [OutboxMessage], header: (Int) -> String, maxLength: Int, headerAlways: Bool = false,
        openAllLabel: String = "📋"
    ) -> [Part] {
        var chunks: [[OutboxMessage]] = []
        var current: [OutboxMessage] = []
        var length = 0
        for alert in alerts {
            let added = TelegramText.visibleLength(ofHTML: alert.text) + 2
            // Room for the header too (it grows by a digit at most).
            if !current.isEmpty,
                length + added + TelegramText.visibleLength(ofHTML: header(current.count + 1)) + 2 > maxLength
            {
                chunks.append(current)
                current = []
                length = 0
            }
            current.append(alert)
            length += added
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks.map { chunk in
            let markup = AlertActions.grouped(chunk.compactMap(\.replyMarkup), openAllLabel: openAllLabel)
            guard chunk.count > 1 || headerAlways else {
                return Part(text: chunk[0].text, messages: chunk, replyMarkup: markup)
            }
            return Part(
                text: ([header(chunk.count)] + chunk.map(\.text)).joined(separator: "\n\n"), messages: chunk,
                replyMarkup: markup)
        }
    }
}
