import Foundation
import Storage
import Targets

/// One per-monitor setting the item view lets its owner change (the code travels in buttons).
enum MonitorSettingField: String, CaseIterable, Sendable {
    case interval = "iv"
    case failures = "fb"
    case timeout = "to"
    case slow = "sl"
    case loss = "pl"
    case keyword = "kw"
    case status = "es"
    case header = "hd"

    /// The fields that mean something for a monitor of this kind.
    static func fields(for kind: TargetKind) -> [MonitorSettingField] {
        if kind == .http { return [.interval, .failures, .timeout, .slow, .keyword, .status, .header] }
        return kind == .icmp ? [.interval, .failures, .slow, .loss] : [.interval, .failures, .slow]
    }
}

/// The operator's limits a per-monitor value must respect.
struct MonitorSettingLimits: Sendable {
    /// MIN_CHECK_INTERVAL.
    var minInterval: Int
    /// CHECK_TIMEOUT: a monitor may choose a shorter one, never a longer one.
    var maxTimeout: Int
    static let maxInterval = 86_400
    /// Keyword characters kept; a longer one is cut (and the owner told).
    static let maxKeyword = 200
}

/// Why a typed value was refused; each has its own bilingual message.
enum MonitorSettingError: Error, Equatable, Sendable {
    case notANumber
    case outOfRange(ClosedRange<Int>)
    case status(ExpectedStatus.ParseError)
    case headerFormat
    case headerLineBreak
    case headerName
    case headerValueTooLong
    case keywordEmpty
    case keywordLineBreak
}

/// A value the owner typed for one field, checked against the limits.
enum MonitorSettingValue: Equatable, Sendable {
    case number(Int)
    case text(String, truncatedFrom: Int?)
    case header(MonitorHeader)
}

enum MonitorSettingInput {
    static func parse(_ raw: String, field: MonitorSettingField, limits: MonitorSettingLimits)
        throws(MonitorSettingError) -> MonitorSettingValue
    {
        // A header's value may have spaces at its end on purpose; everything else is trimmed.
        let text = field == .header ? raw : raw.trimmingCharacters(in: .whitespacesAndNewlines)
        switch field {
        case .interval:
            return .number(try number(text, in: limits.minInterval...MonitorSettingLimits.maxInterval, units: true))
        case .failures: return .number(try number(text, in: MonitorOptions.failuresRange))
        case .timeout: return .number(try number(text, in: 1...max(1, limits.maxTimeout)))
        case .slow: return .number(try number(text, in: MonitorOptions.slowThresholdRange))
        case .loss: return .number(try number(text.replacingOccurrences(of: "%", with: ""), in: 1...100))
        case .keyword:
            guard !text.isEmpty else { throw .keywordEmpty }
            guard !text.contains(where: { $0.isNewline }) else { throw .keywordLineBreak }
            guard text.count > MonitorSettingLimits.maxKeyword else { return .text(text, truncatedFrom: nil) }
            return .text(String(text.prefix(MonitorSettingLimits.maxKeyword)), truncatedFrom: text.count)
        case .status:
            do {
                return .text(try ExpectedStatus.parse(text).description, truncatedFrom: nil)
            } catch {
                throw .status(error)
            }
        case .header: return .header(try header(text))
        }
    }

    /// "Name: value"; a CR or LF anywhere is refused (it would start another header).
    static func header(_ raw: String) throws(MonitorSettingError) -> MonitorHeader {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard
            !trimmed.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\u{2028}" || $0 == "\u{85}" })
        else { throw .headerLineBreak }
        guard let colon = trimmed.firstIndex(of: ":") else { throw .headerFormat }
        let name = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw .headerFormat }
        guard value.utf8.count <= 4096 else { throw .headerValueTooLong }
        guard MonitorHeader.isValid(name: name, value: value) else { throw .headerName }
        return MonitorHeader(name: name, value: value)
    }

    /// A whole number in `range`; with `units`, "90", "90s", "5m", "1h" (seconds).
    static func number(_ text: String, in range: ClosedRange<Int>, units: Bool = false) throws(MonitorSettingError)
        -> Int
    {
        var digits = Substring(text.lowercased())
        var factor = 1
        if units, let last = digits.last, let unit = ["s": 1, "m": 60, "h": 3600, "с": 1, "м": 60, "ч": 3600][last] {
            factor = unit
            digits = digits.dropLast()
        }
        let trimmed = digits.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 9, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(trimmed)
        else { throw .notANumber }
        let (scaled, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow, range.contains(scaled) else { throw .outOfRange(range) }
        return scaled
    }
}
