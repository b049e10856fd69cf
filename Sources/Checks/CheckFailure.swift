#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Why a check (ICMP, HTTP, TCP or DNS) failed, in terms a monitor's owner understands.
///
/// Texts for users are localised in the Bot module: it keys on the stable `code` and fills in
/// `parameters`; `description` is the short English text for logs and the English chat.
public enum CheckFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// No answer within the time limit (HTTP: connect or total timeout; ICMP: no echo reply).
    case timeout
    /// The host answered, but nothing listens on the port (TCP reset).
    case refused
    /// No route to the host or its network.
    case unreachable(reason: String)
    /// The host name did not resolve.
    case dnsFailure(host: String)
    /// The proxy itself failed: unresolvable, unreachable, or it refused to forward.
    case proxyFailure(reason: String)
    /// The server's certificate was rejected for a reason other than expiry.
    case tlsError(TLSFailure)
    /// The server's certificate has expired; the date when it could be read.
    case certificateExpired(notAfter: Date?)
    /// An HTTP status outside the expected range.
    case unexpectedStatus(Int)
    /// The keyword was not in the response body (the first `HTTPChecker.keywordSearchLimit` bytes).
    case keywordMissing(keyword: String)
    /// The keyword that must be absent (an error banner) was in the body.
    case keywordPresent(keyword: String)
    /// Redirects went on past the limit (usually a loop).
    case tooManyRedirects(limit: Int)
    /// The connection broke mid-way, or the server sent nothing or no valid HTTP.
    case connectionFailed(reason: String)
    /// The target cannot be checked as written (malformed URL, unsupported scheme).
    case invalidTarget(reason: String)
    /// TARGET_ALLOW / TARGET_DENY (or a built-in rule) refused the address; nothing was sent to it.
    /// `reason` is `TargetRefusal`'s line, which names the rule.
    case deniedByPolicy(reason: String)
    /// TCP: the reply (after the send text, if any) did not contain the expected text before the timeout or close.
    case replyMismatch(expected: String)
    /// DNS: the server's RCODE is not the expected one (names as `DNSResponseCode` writes them, or a number).
    case dnsResponseCode(expected: String, received: String)
    /// DNS: no answer record matches the expected text; `received` is the answers, joined and cut.
    case dnsAnswerMismatch(expected: String, received: String)
    /// DNS: NOERROR, but no record of the asked type.
    case dnsNoRecords(type: String)
    case other(String)

    /// Stable identifier for translations, metrics and stored history; never reworded.
    public var code: String {
        switch self {
        case .timeout: "timeout"
        case .refused: "connection_refused"
        case .unreachable: "host_unreachable"
        case .dnsFailure: "dns_failure"
        case .proxyFailure: "proxy_failure"
        case .tlsError(let failure): "tls_\(failure.code)"
        case .certificateExpired: "certificate_expired"
        case .unexpectedStatus: "unexpected_status"
        case .keywordMissing: "keyword_missing"
        case .keywordPresent: "keyword_present"
        case .tooManyRedirects: "too_many_redirects"
        case .connectionFailed: "connection_failed"
        case .invalidTarget: "invalid_target"
        case .deniedByPolicy: "denied_by_policy"
        case .replyMismatch: "reply_mismatch"
        case .dnsResponseCode: "dns_rcode"
        case .dnsAnswerMismatch: "dns_answer_mismatch"
        case .dnsNoRecords: "dns_no_records"
        case .other: "other"
        }
    }

    /// The values a translated text needs, by name (dates as ISO 8601 days, "2030-01-31").
    public var parameters: [String: String] {
        switch self {
        case .timeout, .refused: [:]
        case .unreachable(let reason), .proxyFailure(let reason), .connectionFailed(let reason),
            .invalidTarget(let reason), .deniedByPolicy(let reason):
            ["reason": reason]
        case .dnsFailure(let host): ["host": host]
        case .tlsError(let failure): failure.detail.map { ["reason": $0] } ?? [:]
        case .certificateExpired(let notAfter): notAfter.map { ["date": Self.day($0)] } ?? [:]
        case .unexpectedStatus(let status): ["status": String(status)]
        case .keywordMissing(let keyword), .keywordPresent(let keyword): ["keyword": keyword]
        case .tooManyRedirects(let limit): ["limit": String(limit)]
        case .replyMismatch(let expected): ["expected": expected]
        case .dnsResponseCode(let expected, let received), .dnsAnswerMismatch(let expected, let received):
            ["expected": expected, "received": received]
        case .dnsNoRecords(let type): ["type": type]
        case .other(let reason): ["reason": reason]
        }
    }

    public var description: String {
        switch self {
        case .timeout: "timed out"
        case .refused: "connection refused"
        case .unreachable(let reason): "host unreachable: \(reason)"
        case .dnsFailure(let host): "DNS lookup failed for \(host)"
        case .proxyFailure(let reason): "proxy failed: \(reason)"
        case .tlsError(let failure): failure.description
        case .certificateExpired(let notAfter):
            notAfter.map { "TLS certificate expired on \(Self.day($0))" } ?? "TLS certificate expired"
        case .unexpectedStatus(let status): "unexpected HTTP status \(status)"
        case .keywordMissing(let keyword): "keyword \"\(keyword)\" not found"
        case .keywordPresent(let keyword): "keyword \"\(keyword)\" found (it must be absent)"
        case .tooManyRedirects(let limit): "too many redirects (more than \(limit))"
        case .connectionFailed(let reason): "connection failed: \(reason)"
        case .invalidTarget(let reason): "invalid target: \(reason)"
        case .deniedByPolicy(let reason): reason
        case .replyMismatch(let expected): "the reply lacks \"\(expected)\""
        case .dnsResponseCode(let expected, let received): "DNS answered \(received), expected \(expected)"
        case .dnsAnswerMismatch(let expected, let received):
            "no DNS answer matches \"\(expected)\" (got: \(received.isEmpty ? "nothing" : received))"
        case .dnsNoRecords(let type): "no \(type) records"
        case .other(let reason): reason
        }
    }

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func two(_ value: Int?) -> String {
            let v = value ?? 0
            return v < 10 ? "0\(v)" : "\(v)"
        }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))"
    }
}

/// Why a server's certificate or handshake was rejected (expiry has its own `CheckFailure` case).
public enum TLSFailure: Sendable, Hashable, Codable, CustomStringConvertible {
    case selfSigned
    case untrustedIssuer
    case hostnameMismatch
    case notYetValid
    case revoked
    /// The handshake failed (protocol or cipher mismatch, not TLS at all...); libcurl's message.
    case handshake(String)

    /// Appended to "tls_" in `CheckFailure.code`.
    public var code: String {
        switch self {
        case .selfSigned: "self_signed"
        case .untrustedIssuer: "untrusted_issuer"
        case .hostnameMismatch: "hostname_mismatch"
        case .notYetValid: "not_yet_valid"
        case .revoked: "revoked"
        case .handshake: "handshake_failed"
        }
    }

    var detail: String? {
        if case .handshake(let message) = self { return message }
        return nil
    }

    public var description: String {
        switch self {
        case .selfSigned: "self-signed certificate"
        case .untrustedIssuer: "certificate from an untrusted issuer"
        case .hostnameMismatch: "certificate does not match the host name"
        case .notYetValid: "certificate not yet valid"
        case .revoked: "certificate revoked"
        case .handshake(let message): "TLS handshake failed: \(message)"
        }
    }
}
