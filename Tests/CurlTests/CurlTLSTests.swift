import Curl
import Foundation
import Logging
import TestSupport
import Testing

/// https against python's ssl server with certificates made by openssl in the test.
@Suite struct CurlTLSTests {
    let client: CurlHTTPClient

    init() throws {
        client = try CurlHTTPClient(logger: Logger(label: "CurlTLSTests"))
    }

    @Test func selfSignedCertificateFailsVerification() async throws {
        let certificates = try await TestCertificates.selfSigned()
        defer { certificates.remove() }
        let server = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { server.stop() }
        let error = await #expect(throws: CurlError.self) {
            try await client.execute(HTTPRequest(url: server.url("/status/200"), proxy: .none))
        }
        #expect(error?.kind == .tls)
        #expect(error?.tlsProblem == .selfSigned)
    }

    @Test func trustedCertificateSucceedsAndReportsItsExpiry() async throws {
        let certificates = try await TestCertificates.selfSigned(days: 30)
        defer { certificates.remove() }
        let server = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { server.stop() }
        let request = HTTPRequest(
            url: server.url("/status/200"), caBundlePath: certificates.caPath, proxy: .none,
            freshConnection: true, collectCertificateInfo: true)
        let response = try await client.execute(request)
        #expect(response.status == 200)
        let expiry = try #require(response.certificateExpiry)
        let days = expiry.timeIntervalSinceNow / 86_400
        #expect(days > 29 && days < 31)
        #expect(response.timings.tlsHandshake > .zero)
    }

    @Test func expiredCertificateFailsAsExpiredAndItsDateIsReadableWithoutVerification() async throws {
        let certificates = try await TestCertificates.expiredLeaf()
        defer { certificates.remove() }
        let server = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { server.stop() }
        let error = await #expect(throws: CurlError.self) {
            try await client.execute(
                HTTPRequest(url: server.url("/status/200"), caBundlePath: certificates.caPath, proxy: .none))
        }
        #expect(error?.tlsProblem == .expired)

        let unverified = HTTPRequest(
            url: server.url("/status/200"), verifyTLS: false, proxy: .none, collectCertificateInfo: true)
        let response = try await client.execute(unverified)
        #expect(response.certificateExpiry == certificates.notAfter)
    }

    @Test func verificationOffAcceptsASelfSignedCertificate() async throws {
        let certificates = try await TestCertificates.selfSigned()
        defer { certificates.remove() }
        let server = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { server.stop() }
        let response = try await client.execute(
            HTTPRequest(url: server.url("/status/204"), verifyTLS: false, proxy: .none))
        #expect(response.status == 204)
    }

    @Test func certificateInfoIsAbsentOnPlainHTTP() async throws {
        let origin = try await LocalHTTPServer.shared()
        let response = try await client.execute(
            HTTPRequest(url: origin.url("/status/200"), proxy: .none, collectCertificateInfo: true))
        #expect(response.certificateExpiry == nil)
    }
}
