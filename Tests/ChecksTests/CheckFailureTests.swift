import Curl
import Foundation
import Logging
import Testing

@testable import Checks

/// The failure vocabulary the Bot translates and the history stores: codes never change.
struct CheckFailureTests {
    @Test func codesAreStable() {
        let expected: [(CheckFailure, String)] = [
            (.timeout, "timeout"), (.refused, "connection_refused"), (.unreachable(reason: "x"), "host_unreachable"),
            (.dnsFailure(host: "h"), "dns_failure"), (.proxyFailure(reason: "x"), "proxy_failure"),
            (.tlsError(.selfSigned), "tls_self_signed"), (.tlsError(.untrustedIssuer), "tls_untrusted_issuer"),
            (.tlsError(.hostnameMismatch), "tls_hostname_mismatch"), (.tlsError(.notYetValid), "tls_not_yet_valid"),
            (.tlsError(.revoked), "tls_revoked"), (.tlsError(.handshake("x")), "tls_handshake_failed"),
            (.certificateExpired(notAfter: nil), "certificate_expired"), (.unexpectedStatus(503), "unexpected_status"),
            (.keywordMissing(keyword: "k"), "keyword_missing"), (.tooManyRedirects(limit: 3), "too_many_redirects"),
            (.connectionFailed(reason: "x"), "connection_failed"), (.invalidTarget(reason: "x"), "invalid_target"),
            (.other("x"), "other"),
        ]
        for (failure, code) in expected { #expect(failure.code == code) }
    }

    @Test func failureSurvivesACodableRoundTrip() throws {
        let failure = CheckFailure.certificateExpired(notAfter: Date(timeIntervalSince1970: 1_580_515_200))
        let decoded = try JSONDecoder().decode(CheckFailure.self, from: JSONEncoder().encode(failure))
        #expect(decoded == failure)
    }

    @Test func squidErrorHeadersNameWhatHappenedAtTheOrigin() {
        #expect(HTTPChecker.squidFailure("ERR_CONNECT_FAIL 111", host: "h") == .refused)
        #expect(HTTPChecker.squidFailure("ERR_CONNECT_FAIL 110", host: "h") == .timeout)
        #expect(HTTPChecker.squidFailure("ERR_CONNECT_FAIL 113", host: "h").code == "host_unreachable")
        #expect(HTTPChecker.squidFailure("ERR_DNS_FAIL 0", host: "example.org") == .dnsFailure(host: "example.org"))
        #expect(HTTPChecker.squidFailure("ERR_READ_TIMEOUT 0", host: "h") == .timeout)
        #expect(
            HTTPChecker.squidFailure("ERR_ACCESS_DENIED 0", host: "h") == .proxyFailure(reason: "ERR_ACCESS_DENIED 0"))
    }

    @Test func curlErrorsMapToOwnerFacingFailures() throws {
        let checker = HTTPChecker(client: try CurlHTTPClient(logger: Logger(label: "t")), logger: Logger(label: "t"))
        let target = HTTPCheckTarget(url: "https://Example.org:8443/health", maxRedirects: 4)
        func failure(_ kind: CurlError.Kind, code: Int = 0, message: String = "", errno: Int? = nil, verify: Int? = nil)
            -> CheckFailure
        {
            checker.failure(
                for: CurlError(
                    code: code, kind: kind, message: message, url: target.url, osErrno: errno,
                    tlsVerifyResult: verify), target: target)
        }
        #expect(failure(.couldNotResolveHost, code: 6) == .dnsFailure(host: "example.org"))
        #expect(failure(.timeout, code: 28) == .timeout)
        #expect(failure(.tooManyRedirects, code: 47) == .tooManyRedirects(limit: 4))
        #expect(
            failure(
                .couldNotConnect, code: 7, message: "Failed to connect to example.org port 8443 after 1 ms: x",
                errno: Int(ECONNREFUSED)) == .refused)
        #expect(
            failure(
                .couldNotConnect, code: 7, message: "Failed to connect to proxy.corp port 3128 after 1 ms: x",
                errno: Int(ECONNREFUSED)) == .proxyFailure(reason: "cannot connect to the proxy at proxy.corp:3128"))
        #expect(failure(.couldNotConnect, code: 7, errno: Int(EHOSTUNREACH)).code == "host_unreachable")
        #expect(failure(.tls, code: 60, verify: 18) == .tlsError(.selfSigned))
        #expect(failure(.tls, code: 60, verify: 20) == .tlsError(.untrustedIssuer))
        #expect(
            failure(
                .tls, code: 60, message: "SSL: no alternative certificate subject name matches target host name 'x'",
                verify: 0) == .tlsError(.hostnameMismatch))
        #expect(failure(.tls, code: 60, verify: 10) == .certificateExpired(notAfter: nil))
        #expect(failure(.tls, code: 35, message: "wrong version number").code == "tls_handshake_failed")
    }

    @Test func endpointsHaveDefaultPortsPerScheme() {
        #expect(HTTPChecker.endpoint(of: "https://example.org/x") == .init(host: "example.org", port: 443))
        #expect(HTTPChecker.endpoint(of: "http://user@example.org:8080") == .init(host: "example.org", port: 8080))
        #expect(HTTPChecker.endpoint(of: "http://[::1]:81/") == .init(host: "::1", port: 81))
        #expect(HTTPChecker.endpoint(of: "http://[::1]/") == .init(host: "::1", port: 80))
    }
}
