import Curl

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The outcome of one HTTP check.
public struct HTTPCheckResult: Sendable, Hashable {
    public var url: String
    public var checkedAt: Date
    /// Nil when the check passed.
    public var failure: CheckFailure?
    /// The final HTTP status, when a response arrived.
    public var status: Int?
    /// From the start of the check to the end of the read body (DNS, connect, TLS, redirects included).
    public var responseTime: Duration?
    public var timings: HTTPTimings?
    /// The server certificate's notAfter (https); also read when an expired certificate failed the check.
    public var certificateExpiry: Date?
    /// Where the redirects ended.
    public var effectiveURL: String?
    public var redirectCount: Int
    /// The server certificate (expiry, issuer, serial) on https when the check got an answer.
    public var certificate: ServerCertificate?

    public var ok: Bool { failure == nil }

    public init(
        url: String, checkedAt: Date, failure: CheckFailure?, status: Int? = nil, responseTime: Duration? = nil,
        timings: HTTPTimings? = nil, certificateExpiry: Date? = nil, effectiveURL: String? = nil,
        redirectCount: Int = 0,
        certificate: ServerCertificate? = nil
    ) {
        self.certificate = certificate
        self.url = url
        self.checkedAt = checkedAt
        self.failure = failure
        self.status = status
        self.responseTime = responseTime
        self.timings = timings
        self.certificateExpiry = certificateExpiry
        self.effectiveURL = effectiveURL
        self.redirectCount = redirectCount
    }
}
