import Curl
import ICMP

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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
    /// HTTPS only: the server certificate (expiry, issuer, serial), when the check got an answer.
    public var certificate: ServerCertificate?

    public var ok: Bool { failure == nil }

    /// Starts timing one check of `target` now; the closure makes its result, timed up to the call
    /// (for checks that report the whole check as their response time: TCP, DNS).
    static func timing(_ target: CheckTarget) -> (CheckFailure?) -> TargetCheckResult {
        let checkedAt = Date()
        let started = ContinuousClock.now
        return { failure in
            TargetCheckResult(
                target: target, checkedAt: checkedAt, failure: failure, responseTime: started.duration(to: .now))
        }
    }

    /// ICMP: the share of echo requests lost, 0...1; nil when nothing was sent or for other kinds.
    public var packetLoss: Double? {
        guard let sent = probesSent, let answered = probesAnswered, sent > 0 else { return nil }
        return Double(max(0, sent - answered)) / Double(sent)
    }

    public init(
        target: CheckTarget, checkedAt: Date, failure: CheckFailure?, responseTime: Duration? = nil,
        httpStatus: Int? = nil,
        certificateExpiry: Date? = nil, probesSent: Int? = nil, probesAnswered: Int? = nil,
        certificate: ServerCertificate? = nil
    ) {
        self.certificate = certificate
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
            httpStatus: result.status, certificateExpiry: result.certificateExpiry, certificate: result.certificate)
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
        case .resolveFailed(let host, _)?, .resolverBusy(let host)?:
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
