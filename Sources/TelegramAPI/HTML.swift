/// Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style): any `<`, `>` or `&`
/// that is not markup makes Telegram refuse the message with "can't parse entities", so every
/// user-provided string (names, targets, error texts from checks) goes through `escape`.
public enum HTML {
    /// Escapes `&`, `<`, `>` and both quotes (quotes matter inside attribute values such as `href`).
    public static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// `<b>text</b>` with the text escaped.
    public static func bold(_ text: some StringProtocol) -> String { "<b>\(escape(text))</b>" }

    /// `<code>text</code>` with the text escaped: targets and addresses read best in monospace.
    public static func code(_ text: some StringProtocol) -> String { "<code>\(escape(text))</code>" }

    /// `<a href="url">text</a>` with both escaped.
    public static func link(_ text: some StringProtocol, url: some StringProtocol) -> String {
        "<a href=\"\(escape(url))\">\(escape(text))</a>"
    }
}
