/// Telegram's HTML parse mode, as strict as the real server: a `<` or `&` that is neither markup
/// nor an entity is refused with "can't parse entities", which is how an unescaped user string
/// breaks a real bot. Yields the plain text the user sees.
enum TelegramHTML {
    static let supportedTags: Set<String> = [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "tg-emoji", "code", "pre", "blockquote",
    ]

    /// The visible text, or the description Telegram would answer with.
    static func render(_ html: String) -> Result<String, RenderError> {
        let bytes = Array(html.utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count)
        var open: [String] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else {
                    return .failure(RenderError("Unclosed start tag at byte offset \(index)"))
                }
                let inside = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                if inside.hasPrefix("/") {
                    let name = inside.dropFirst().trimmingWhitespace().lowercased()
                    guard let last = open.last else {
                        return .failure(RenderError("Unexpected end tag at byte offset \(index)"))
                    }
                    guard name == last || name.isEmpty else {
                        return .failure(
                            RenderError(
                                "Unmatched end tag at byte offset \(index), expected \"</\(last)>\", found \"</\(name)>\""
                            ))
                    }
                    open.removeLast()
                } else {
                    let name = String(inside.prefix { !$0.isWhitespace }).lowercased()
                    guard supportedTags.contains(name) else {
                        return .failure(RenderError("Unsupported start tag \"\(name)\" at byte offset \(index)"))
                    }
                    open.append(name)
                }
                index = close + 1
            } else if byte == UInt8(ascii: "&") {
                guard let (decoded, length) = entity(in: bytes, at: index) else {
                    return .failure(
                        RenderError("Character '&' is reserved and must be escaped at byte offset \(index)"))
                }
                text.append(contentsOf: decoded.utf8)
                index += length
            } else {
                text.append(byte)
                index += 1
            }
        }
        if let unclosed = open.last {
            return .failure(RenderError("Can't find end tag corresponding to start tag \"\(unclosed)\""))
        }
        return .success(String(decoding: text, as: UTF8.self))
    }

    struct RenderError: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
        /// What Telegram answers: "Bad Request: can't parse entities: ...".
        var description: String { "Bad Request: can't parse entities: \(reason)" }
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` and numeric entities, as the Bot API documents.
    private static func entity(in bytes: [UInt8], at start: Int) -> (String, Int)? {
        guard let semicolon = bytes[start...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let name = String(decoding: bytes[(start + 1)..<semicolon], as: UTF8.self)
        let length = semicolon - start + 1
        switch name {
        case "lt": return ("<", length)
        case "gt": return (">", length)
        case "amp": return ("&", length)
        case "quot": return ("\"", length)
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value =
                digits.hasPrefix("x") || digits.hasPrefix("X")
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return (String(Character(scalar)), length)
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
