import Foundation
import Targets

/// What one monitor's owner chose for it alone (`options` in `monitors`); nil everywhere means
/// the owner's setting, else the operator's. Interval and keyword stay where they always were
/// (`interval`, `keyword`). Read tolerantly: a hand-edited value out of range is read clamped
/// or as unset, never as a crash.
public struct MonitorOptions: Codable, Sendable, Equatable {
    /// Consecutive failures before "down" (and slow checks before "slow").
    public var failuresBeforeAlert: Int?
    /// HTTP: seconds one check may take (at most CHECK_TIMEOUT).
    public var timeoutSeconds: Int?
    /// Response time above which a check counts as slow (milliseconds).
    public var slowThresholdMs: Int?
    /// ICMP: packet loss (percent) at or above which a check counts as slow.
    public var packetLossPercent: Int?
    /// HTTP: statuses that count as up, as `ExpectedStatus` writes them ("200-299,304").
    public var expectedStatus: String?
    /// HTTP: the keyword must be absent instead of present.
    public var keywordAbsent: Bool?
    /// HTTP: "GET" (the default) or "HEAD".
    public var method: String?
    /// HTTP: one header sent with every check (an API key); its value is shown masked, never logged.
    public var header: MonitorHeader?

    public init(
        failuresBeforeAlert: Int? = nil, timeoutSeconds: Int? = nil, slowThresholdMs: Int? = nil,
        packetLossPercent: Int? = nil, expectedStatus: String? = nil, keywordAbsent: Bool? = nil,
        method: String? = nil, header: MonitorHeader? = nil
    ) {
        self.failuresBeforeAlert = failuresBeforeAlert
        self.timeoutSeconds = timeoutSeconds
        self.slowThresholdMs = slowThresholdMs
        self.packetLossPercent = packetLossPercent
        self.expectedStatus = expectedStatus
        self.keywordAbsent = keywordAbsent
        self.method = method
        self.header = header
    }

    public static let failuresRange = 1...20
    public static let timeoutRange = 1...120
    public static let slowThresholdRange = 1...120_000
    public static let packetLossRange = 1...100
    public static let methods = ["GET", "HEAD"]

    /// The expected statuses, parsed; nil when unset or unreadable (then 2xx/3xx apply).
    public var parsedExpectedStatus: ExpectedStatus? { expectedStatus.flatMap { try? ExpectedStatus.parse($0) } }

    public var isEmpty: Bool { self == MonitorOptions() }

    enum CodingKeys: String, CodingKey {
        case failuresBeforeAlert = "failures_before_alert"
        case timeoutSeconds = "timeout"
        case slowThresholdMs = "slow_ms"
        case packetLossPercent = "loss_pct"
        case expectedStatus = "expected_status"
        case keywordAbsent = "keyword_absent"
        case method, header
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys, _ range: ClosedRange<Int>) -> Int? {
            ((try? c.decodeIfPresent(Int.self, forKey: key)) ?? nil).map {
                min(max($0, range.lowerBound), range.upperBound)
            }
        }
        failuresBeforeAlert = number(.failuresBeforeAlert, Self.failuresRange)
        timeoutSeconds = number(.timeoutSeconds, Self.timeoutRange)
        slowThresholdMs = number(.slowThresholdMs, Self.slowThresholdRange)
        packetLossPercent = number(.packetLossPercent, Self.packetLossRange)
        expectedStatus = (try? c.decodeIfPresent(String.self, forKey: .expectedStatus)) ?? nil
        keywordAbsent = (try? c.decodeIfPresent(Bool.self, forKey: .keywordAbsent)) ?? nil
        let method = ((try? c.decodeIfPresent(String.self, forKey: .method)) ?? nil)?.uppercased()
        self.method = method.flatMap { Self.methods.contains($0) ? $0 : nil }
        header = (try? c.decodeIfPresent(MonitorHeader.self, forKey: .header)) ?? nil
    }
}

/// A header an HTTP check sends (`options.header: {name, value}`). A value with CR or LF is never
/// stored (the chat refuses it) and never sent (a hand-edited one is dropped when read).
public struct MonitorHeader: Codable, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Masked, so a record printed whole (a log line, a test failure) never shows the secret.
    public var description: String { "\(name): \(maskedValue)" }
    public var debugDescription: String { description }

    /// "Bea…••••": the first three characters of a long value, never more, so the owner recognises it.
    public var maskedValue: String {
        value.count >= 12 ? String(value.prefix(3)) + "…••••" : "••••"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        value = try c.decode(String.self, forKey: .value)
        guard Self.isValid(name: name, value: value) else {
            throw DecodingError.dataCorruptedError(forKey: .value, in: c, debugDescription: "invalid header")
        }
    }

    enum CodingKeys: String, CodingKey { case name, value }

    /// A token name (RFC 9110 tchar) and a value without CR, LF or NUL.
    public static func isValid(name: String, value: String) -> Bool {
        let tchar = Set("!#$%&'*+-.^_`|~".utf8)
        return !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy {
                ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || tchar.contains($0)
            }
            && value.utf8.count <= 4096 && !value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 })
    }
}
