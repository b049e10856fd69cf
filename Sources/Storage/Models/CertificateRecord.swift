import Foundation

/// The site's TLS certificate as last seen (`certificate` in `monitors`), and which expiry
/// warnings were already sent for it. A new certificate (another issuer or serial) starts
/// with none sent, so each threshold is announced once per certificate.
public struct CertificateRecord: Codable, Sendable, Equatable {
    public var notAfter: Date
    public var issuer: String?
    public var serial: String?
    /// Days-before-expiry thresholds (30, 14, 7, 1) already announced for this certificate.
    public var warned: [Int]

    public init(notAfter: Date, issuer: String? = nil, serial: String? = nil, warned: [Int] = []) {
        self.notAfter = notAfter
        self.issuer = issuer
        self.serial = serial
        self.warned = warned
    }

    /// Whether `other` is the same certificate (same issuer and serial; the expiry when neither is known).
    public func isSame(as other: CertificateRecord) -> Bool {
        if serial == nil && other.serial == nil { return notAfter == other.notAfter && issuer == other.issuer }
        return serial == other.serial && issuer == other.issuer
    }

    enum CodingKeys: String, CodingKey {
        case notAfter = "not_after"
        case issuer, serial, warned
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        notAfter = try c.decode(Date.self, forKey: .notAfter)
        issuer = (try? c.decodeIfPresent(String.self, forKey: .issuer)) ?? nil
        serial = (try? c.decodeIfPresent(String.self, forKey: .serial)) ?? nil
        warned = ((try? c.decodeIfPresent([Int].self, forKey: .warned)) ?? nil) ?? []
    }
}
