/// The HTTP statuses a site's owner counts as up: a list of codes and ranges (`200,204`,
/// `200-299`, `200-299,304`). Stored as its normalized text in MongoDB (`options.expected_status`);
/// the chat, the checker and a hand-edited document read it with the one parser here.
public struct ExpectedStatus: Sendable, Hashable, CustomStringConvertible {
    public let ranges: [ClosedRange<Int>]

    /// Statuses a server can send (RFC 9110: three digits, 1xx to 5xx).
    public static let validCodes = 100...599
    /// More items than anyone writes by hand: a longer list is refused, not cut.
    public static let maxItems = 20
    /// Up when nothing was chosen: 2xx and 3xx (after redirects).
    public static let standard = ExpectedStatus(uncheckedRanges: [200...399])

    public enum ParseError: Error, Sendable, Equatable {
        case empty
        /// An item that is not a number or `low-high` (the item as written, cut to 20 characters).
        case malformed(String)
        /// A code outside 100...599.
        case outOfRange(Int)
        /// `300-200`.
        case reversed(String)
        case tooManyItems(Int)
    }

    private init(uncheckedRanges: [ClosedRange<Int>]) { ranges = uncheckedRanges }

    /// Parses `200,204`, `200-299`, `2xx` (a whole class), spaces allowed around items.
    public static func parse(_ text: String) throws(ParseError) -> ExpectedStatus {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map(trimmed)
        guard items.contains(where: { !$0.isEmpty }) else { throw .empty }
        guard items.count <= maxItems else { throw .tooManyItems(items.count) }
        var ranges: [ClosedRange<Int>] = []
        for item in items {
            guard !item.isEmpty else { throw .malformed(",") }
            ranges.append(try parseItem(item))
        }
        return ExpectedStatus(uncheckedRanges: ranges)
    }

    private static func parseItem(_ item: String) throws(ParseError) -> ClosedRange<Int> {
        let shown = String(item.prefix(20))
        let lower = item.lowercased()
        if lower.count == 3, lower.hasSuffix("xx"), let digit = lower.first?.wholeNumberValue {
            let low = digit * 100
            guard validCodes.contains(low) else { throw .outOfRange(low) }
            return low...(low + 99)
        }
        let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2 else { throw .malformed(shown) }
        var numbers: [Int] = []
        for bound in bounds {
            let digits = trimmed(bound)
            guard (1...3).contains(digits.count), digits.allSatisfy(\.isASCIIDigitCharacter), let n = Int(digits)
            else { throw .malformed(shown) }
            guard validCodes.contains(n) else { throw .outOfRange(n) }
            numbers.append(n)
        }
        guard let low = numbers.first, let high = numbers.last else { throw .malformed(shown) }
        guard low <= high else { throw .reversed(shown) }
        return low...high
    }

    public func contains(_ status: Int) -> Bool { ranges.contains { $0.contains(status) } }

    /// `200-299,304`: what is stored and shown.
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }
}

/// Without spaces and tabs at either end (Targets does without Foundation).
private func trimmed(_ text: Substring) -> String {
    String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
