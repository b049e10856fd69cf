import Foundation

/// The bot's token. It is the bot's password: every way of printing one shows "<redacted>", and
/// `redact(_:)` scrubs it from any text (libcurl errors quote the URL, which contains it).
public struct BotToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself; read it only to build a request URL.
    let secret: String

    public init(_ secret: String) {
        self.secret = secret
    }

    /// The bot's user id: the digits before ":" ("123456:ABC..." → 123456). It is public
    /// (getMe returns it) and is the `bot id` of aiogram's FSM key.
    public var botID: Int64? {
        guard let colon = secret.firstIndex(of: ":") else { return nil }
        return Int64(secret[..<colon])
    }

    /// Whether it has the shape Telegram issues (`<digits>:<35 url-safe characters>` today; the
    /// length is not checked, so a local server's or the fake's token also passes).
    public var isWellFormed: Bool {
        guard botID != nil, let colon = secret.firstIndex(of: ":") else { return false }
        let rest = secret[secret.index(after: colon)...]
        return !rest.isEmpty
            && rest.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-"
            }
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "BotToken(<redacted>)" }

    /// `text` with every occurrence of the token (and its percent-encoded form) replaced.
    public func redact(_ text: String) -> String {
        guard !secret.isEmpty else { return text }
        var result = text.replacingOccurrences(of: secret, with: "<redacted>")
        let encoded = secret.replacingOccurrences(of: ":", with: "%3A")
        if encoded != secret {
            result = result.replacingOccurrences(of: encoded, with: "<redacted>")
                .replacingOccurrences(of: secret.replacingOccurrences(of: ":", with: "%3a"), with: "<redacted>")
        }
        return result
    }
}
