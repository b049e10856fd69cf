import Checks
import Curl
import Foundation
import Logging
import TestSupport
import Testing

/// Certificates as an owner meets them: self-signed, expired, valid with a date to watch.
@Suite struct HTTPCheckerTLSTests {
    let client: CurlHTTPClient

    init() throws {
        client = try CurlHTTPClient(logger: Logger(label: "HTTPCheckerTLSTests"))
    }

    func checker(trusting caPath: String? = nil) -> HTTPChecker {
        HTTPChecker(client: client, proxy: .none, caBundlePath: caPath, logger: Logger(label: "HTTPCheckerTLSTests"))
    }

    @Test func selfSignedCertificateIsDownWithTheReason() async throws {
        let certificates = try await TestCertificates.selfSigned()
        defer { certificates.remove() }
        let server = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { server.stop() }
        let result = try await checker().check(HTTPCheckTarget(url: server.url("/status/200")))
        #expect(result.failure == .tlsError(.selfSigned))
        #expect(result.failure?.code == "tls_self_signed")
        #expect(result.failure?.description == "self-signed certificate")
    }

    @Test func expiredCertificateIsDownWithItsExpiryDate() async throws {
        let certificates = try await TestCertificates.expiredLeaf()
        defer { certificates.remove() }
        let server = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { server.stop() }
        let result = try await checker(trusting: certificates.caPath).check(
            HTTPCheckTarget(url: server.url("/status/200")))
        #expect(result.failure == .certificateExpired(notAfter: certificates.notAfter))
        #expect(result.failure?.description == "TLS certificate expired on 2020-02-01")
        #expect(result.failure?.parameters == ["date": "2020-02-01"])
        #expect(result.certificateExpiry == certificates.notAfter)
    }

    @Test func validCertificateIsUpAndItsExpiryIsReported() async throws {
        let certificates = try await TestCertificates.selfSigned(days: 90)
        defer { certificates.remove() }
        let server = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { server.stop() }
        let result = try await checker(trusting: certificates.caPath).check(
            HTTPCheckTarget(url: server.url("/status/200")))
        #expect(result.ok)
        let days = try #require(result.certificateExpiry).timeIntervalSinceNow / 86_400
        #expect(days > 89 && days < 91)
    }

    @Test func verificationCanBeTurnedOffForAKnowinglyUntrustedServer() async throws {
        let certificates = try await TestCertificates.selfSigned()
        defer { certificates.remove() }
        let server = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { server.stop() }
        let result = try await checker().check(HTTPCheckTarget(url: server.url("/status/200"), verifyTLS: false))
        #expect(result.ok)
        #expect(result.certificateExpiry != nil)
    }
}
