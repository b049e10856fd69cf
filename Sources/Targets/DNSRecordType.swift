/// The record types a DNS monitor may ask for.
public enum DNSRecordType: String, Sendable, Hashable, CaseIterable {
    case a = "A"
    case aaaa = "AAAA"
    case cname = "CNAME"
    case mx = "MX"
    case txt = "TXT"

    /// The type's number in a DNS question (RFC 1035, 3596).
    public var code: Int32 {
        switch self {
        case .a: 1
        case .aaaa: 28
        case .cname: 5
        case .mx: 15
        case .txt: 16
        }
    }
}

/// The response codes a DNS monitor may expect (RFC 1035 §4.1.1).
public enum DNSResponseCode: String, Sendable, Hashable, CaseIterable {
    case noError = "NOERROR"
    case formatError = "FORMERR"
    case serverFailure = "SERVFAIL"
    case nameError = "NXDOMAIN"
    case notImplemented = "NOTIMP"
    case refused = "REFUSED"

    public init?(code: Int) {
        guard let known = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = known
    }

    public var code: Int {
        switch self {
        case .noError: 0
        case .formatError: 1
        case .serverFailure: 2
        case .nameError: 3
        case .notImplemented: 4
        case .refused: 5
        }
    }
}

/// How a DNS monitor's expected text is compared with the answers.
public enum DNSAnswerMatch: String, Sendable, Hashable, CaseIterable {
    /// Some answer contains the text (names compared without regard to case).
    case contains
    /// Some answer is the text, whole.
    case equals
}
