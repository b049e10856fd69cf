import Foundation

/// Telegram's length rule for messages: at most 4096 UTF-16 code units of the text the user sees,
/// i.e. after HTML tags are removed and entities decoded (`&lt;` counts one). Grapheme counts
/// (`String.count`) under-count emoji and most non-Latin scripts' combining marks.
public enum TelegramText {
    public static let maxLength = 4096

    /// UTF-16 code units of `html` as Telegram counts them.
    public static func visibleLength(ofHTML html: String) -> Int { plain(fromHTML: html).utf16.count }

    /// The text the user sees: tags dropped, the Bot API's entities decoded (the ones HTML.escape writes
    /// and numeric ones); anything else is kept as it is.
    public static func plain(fromHTML html: String) -> String {
        var result = ""
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let close = html[index...].firstIndex(of: ">") {
                index = html.index(after: close)
            } else if character == "&", let (decoded, end) = entity(in: html, at: index) {
                result.append(decoded)
                index = end
            } else {
                result.append(character)
                index = html.index(after: index)
            }
        }
        return result
    }

    /// `text` cut to at most `limit` UTF-16 units on a character boundary, "…" marking the cut.
    public static func truncated(_ text: String, toUTF16 limit: Int) -> String {
        guard text.utf16.count > limit, limit > 1 else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf16.count
            if used + size > limit - 1 { break }
            result.append(character)
            used += size
        }
        return result + "…"
    }

    /// `text` (plain) in parts of at most `limit` UTF-16 units, cut at line ends where it can.
    public static func split(plain text: String, limit: Int = maxLength) -> [String] {
        var parts: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(line)
            while line.utf16.count > limit {
                let head = truncated(line, toUTF16: limit + 1).dropLast()  // no mark: the text goes on
                if !current.isEmpty { parts.append(current) }
                current = ""
                parts.append(String(head))
                line = String(line.dropFirst(head.count))
            }
            let joined = current.isEmpty ? line : current + "\n" + line
            if joined.utf16.count > limit {
                parts.append(current)
                current = line
            } else {
                current = joined
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(current) }
        return parts
    }

    private static func entity(in html: String, at start: String.Index) -> (Character, String.Index)? {
        guard let semicolon = html[start...].prefix(12).firstIndex(of: ";") else { return nil }
        let name = html[html.index(after: start)..<semicolon]
        let end = html.index(after: semicolon)
        switch name {
        case "lt": return ("<", end)
        case "gt": return (">", end)
        case "amp": return ("&", end)
        case "quot": return ("\"", end)
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value =
                digits.hasPrefix("x") || digits.hasPrefix("X")
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return (Character(scalar), end)
        }
    }
}
