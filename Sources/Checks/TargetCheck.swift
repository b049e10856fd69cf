import ICMP

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What one check looks at: a device (pinged over ICMP) or a site (fetched over HTTP).
public struct CheckTarget: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case icmp, http
    }

    public var kind: Kind
    /// An address or host name (ICMP), or an http(s) URL.
    public var target: String
    /// HTTP only: text the page must contain.
    public var keyword: String?
    /// The owner is an admin: the target policy lets them check loopback.
    public var ownerIsAdmin: Bool

    public init(kind: Kind, target: String, keyword: String? = nil, ownerIsAdmin: Bool = false) {
        self.kind = kind
        self.target = target
        self.keyword = keyword
        self.ownerIsAdmin = ownerIsAdmin
    }

    /// The kind written the way operators write lists (CLI arguments, CANARY_TARGETS): a URL
    /// contains "://", anything else is a host to ping.
    public static func guessing(_ text: String) -> CheckTarget {
        CheckTarget(kind: text.contains("://") ? .http : .icmp, target: text)
    }
}

/// The outcome of one check of either kind, in the terms the monitor and the CLI report.
public struct TargetCheckResult: Sendable, Hashable {
    public var target: CheckTarget
    public var checkedAt: Date
    /// Nil when the target is up.
    public var failure: CheckFailure?
    /// ICMP: the average round trip of the replies; HTTP: the whole check, redirects included.
    public var responseTime: Duration?
    /// HTTP only: the final status, when a response arrived.
    public var httpStatus: Int?
    /// HTTPS only: the server certificate's notAfter.
    public var certificateExpiry: Date?
    /// ICMP only: echo requests sent and replies received.
    public var probesSent: Int?
    public var probesAnswered: Int?

    public var ok: Bool { failure == nil }

    public init(
        target: CheckTarget, checkedAt: Date, failure: CheckFailure?, responseTime: Duration? = nil,
        httpStatus: Int? = nil,
        certificateExpiry: Date? = nil, probesSent: Int? = nil, probesAnswered: Int? = nil
    ) {
        self.target = target
        self.checkedAt = checkedAt
        self.failure = failure
        self.responseTime = responseTime
        self.httpStatus = httpStatus
        self.certificateExpiry = certificateExpiry
        self.probesSent = probesSent
        self.probesAnswered = probesAnswered
    }

    init(http result: HTTPCheckResult, target: CheckTarget) {
        self.init(
            target: target, checkedAt: result.checkedAt, failure: result.failure, responseTime: result.responseTime,
            httpStatus: result.status, certificateExpiry: result.certificateExpiry)
    }

    /// A device is up when at least one probe was answered: one lost packet is not an outage.
    init(ping result: PingResult, target: CheckTarget, checkedAt: Date) {
        self.init(
            target: target, checkedAt: checkedAt, failure: result.isReachable ? nil : CheckFailure(unanswered: result),
            responseTime: result.rttAvg, probesSent: result.sent, probesAnswered: result.received)
    }
}

extension CheckFailure {
    /// Why a ping went unanswered, in the vocabulary HTTP failures use.
    init(unanswered result: PingResult) {
        switch result.error {
        case .resolveFailed(let host, _)?:
            self = .dnsFailure(host: host)
        case .refused(_, let reason)?:
            self = .deniedByPolicy(reason: reason)
        case .sendFailed(_, let code)? where code == EHOSTUNREACH || code == ENETUNREACH:
            self = .unreachable(reason: result.error?.description ?? "no route")
        case let error?:
            self = .other(error.description)
        case nil:
            self = .timeout
        }
    }
}
