#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A completed HTTP exchange (any status code: a 500 is a response, not an error).
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Headers of the last response (after redirects).
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Reading stopped before the end of the body (`maxBodyBytes` or `stopAfterBodyContains`).
    public var bodyTruncated: Bool
    public var timings: HTTPTimings
    public var effectiveURL: String
    public var redirectCount: Int
    /// The leaf certificate's notAfter, for https on a new connection with `collectCertificateInfo`.
    public var certificateExpiry: Date?
    /// The leaf certificate itself (expiry, issuer, serial), when `certificateExpiry` is known.
    public var certificate: ServerCertificate?
    /// Address and port the last connection went to: the proxy's when one was used.
    public var remoteAddress: String?
    public var remotePort: Int?

    public var totalTime: Duration { timings.total }

    public init(
        status: Int, headers: HTTPHeaders, body: [UInt8], bodyTruncated: Bool, timings: HTTPTimings,
        effectiveURL: String, redirectCount: Int, certificateExpiry: Date?, remoteAddress: String?, remotePort: Int?,
        certificate: ServerCertificate? = nil
    ) {
        self.certificate = certificate
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
        self.timings = timings
        self.effectiveURL = effectiveURL
        self.redirectCount = redirectCount
        self.certificateExpiry = certificateExpiry
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Phases of a transfer, each measured from its start (libcurl's `*_TIME_T` values).
public struct HTTPTimings: Sendable, Hashable {
    public var dnsLookup: Duration
    public var connect: Duration
    /// Zero for plain http.
    public var tlsHandshake: Duration
    public var firstByte: Duration
    public var total: Duration

    public init(dnsLookup: Duration, connect: Duration, tlsHandshake: Duration, firstByte: Duration, total: Duration) {
        self.dnsLookup = dnsLookup
        self.connect = connect
        self.tlsHandshake = tlsHandshake
        self.firstByte = firstByte
        self.total = total
    }

    public static let zero = HTTPTimings(
        dnsLookup: .zero, connect: .zero, tlsHandshake: .zero, firstByte: .zero, total: .zero)
}
