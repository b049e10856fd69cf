import Checks
import Curl
import Foundation
import Storage
import Testing

@testable import Monitor

/// The proxy's password is never shown: not in logs, admin messages or the outbox (issue #12, point 11).
struct CredentialRedactionTests {
    @Test(arguments: [
        ("http://user:s3cret@proxy.corp:3128", "http://proxy.corp:3128"),
        ("socks5h://u:s3cret@10.0.0.1:1080/", "socks5h://10.0.0.1:1080/"),
        ("user:s3cret@proxy:3128", "proxy:3128"),
        ("http://proxy.corp:3128", "http://proxy.corp:3128"),
        ("http://proxy/path@x", "http://proxy/path@x"),
    ])
    func credentialsAreRemovedFromURLs(_ url: String, _ shown: String) {
        #expect(CredentialRedaction.url(url) == shown)
    }

    @Test func anUnreachableProxyIsNamedWithoutItsPasswordInTheProbeAndTheAdminMessage() async throws {
        let http = try CurlHTTPClient(maxConcurrent: 4, logger: testLogger)
        defer { http.shutdown() }
        let checker = TargetChecker(
            pinger: nil, http: HTTPChecker(client: http, proxy: .none, logger: testLogger), connectTimeout: .seconds(1),
            httpTimeout: .seconds(1), maxConcurrentHTTP: 4)
        // Port 9 on loopback: nothing listens, the connection is refused at once.
        let probe = try #require(
            CanaryProbe.make(
                canaries: [], proxy: "http://user:s3cret@127.0.0.1:9", checker: checker, checksClient: http,
                logger: testLogger))
        let result = await probe()
        #expect(!result.reachable)
        #expect(result.proxyDown == "http://127.0.0.1:9")
        let composer = AlertComposer()
        let messages = composer.connectivityLost(
            admins: [1: .ru, 2: .en], since: Date(), failedCanaries: [], proxyDown: "http://user:s3cret@127.0.0.1:9")
        #expect(messages.count == 2)
        #expect(!messages.contains { $0.text.contains("s3cret") || $0.text.contains("user:") })
        #expect(messages.allSatisfy { $0.text.contains("127.0.0.1:9") })
    }
}
