import Foundation

/// A `/command@botname arguments` at the start of a message text.
public struct BotCommandInvocation: Sendable, Hashable {
    /// Lower-cased, without the slash and without `@botname`: "start".
    public var name: String
    /// The bot username after `@`, when the user addressed one bot in a group.
    public var botUsername: String?
    /// The rest of the text after the command, trimmed ("" when none): deep-link payloads of /start.
    public var arguments: String
}

extension Message {
    /// The command this message starts with, or nil. Telegram marks commands with a `bot_command`
    /// entity at offset 0; a text starting with "/" counts too, since clients do not always send one.
    public var command: BotCommandInvocation? {
        guard let text, text.hasPrefix("/") else { return nil }
        let head = text.prefix { !$0.isWhitespace && !$0.isNewline }
        let rest = text.dropFirst(head.count).trimmingCharacters(in: .whitespacesAndNewlines)
        let body = head.dropFirst()
        guard !body.isEmpty else { return nil }
        let parts = body.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].lowercased()
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            return nil
        }
        let bot = parts.count > 1 ? String(parts[1]) : nil
        return BotCommandInvocation(name: name, botUsername: bot, arguments: rest)
    }
}
