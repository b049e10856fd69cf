import Checks
import Curl
import Foundation
import Logging
import TestSupport
import Testing

/// Checks through squid, as in the DMZ: success, and origin failures squid reports on our behalf.
@Suite(.enabled(if: SquidProxy.isAvailableOrRequired, "needs squid (apt-get install squid)"))
struct HTTPCheckerProxyTests {
    let client: CurlHTTPClient

    init() throws {
        client = try CurlHTTPClient(logger: Logger(label: "HTTPCheckerProxyTests"))
    }

    @Test func checkThroughTheProxyReachesTheOrigin() async throws {
        let squid = try await SquidProxy()
        let origin = try await LocalHTTPServer.shared()
        let checker = HTTPChecker(client: client, proxy: .url(squid.url), logger: Logger(label: "test"))
        let path = "/check/through-squid-\(UUID().uuidString)"
        let result = try await checker.check(HTTPCheckTarget(url: origin.url(path)))
        #expect(result.ok)
        #expect(await squid.waitForAccessLog(containing: "GET \(origin.url(path))"))
    }

    @Test func refusedOriginBehindTheProxyIsReportedAsRefused() async throws {
        let squid = try await SquidProxy()
        let checker = HTTPChecker(client: client, proxy: .url(squid.url), logger: Logger(label: "test"))
        let port = try ServerProcess.freeLoopbackPort()
        let result = try await checker.check(HTTPCheckTarget(url: "http://127.0.0.1:\(port)/"))
        #expect(result.failure == .refused)
    }

    @Test func refusedHTTPSOriginBehindTheProxyIsReportedAsRefused() async throws {
        let squid = try await SquidProxy()
        let checker = HTTPChecker(client: client, proxy: .url(squid.url), logger: Logger(label: "test"))
        let port = try ServerProcess.freeLoopbackPort()
        let result = try await checker.check(HTTPCheckTarget(url: "https://127.0.0.1:\(port)/"))
        #expect(result.failure == .refused)
    }

    @Test func deadProxyIsAConnectionFailureNotTheTargetsFault() async throws {
        let port = try ServerProcess.freeLoopbackPort()
        let checker = HTTPChecker(
            client: client, proxy: .url("http://127.0.0.1:\(port)"), logger: Logger(label: "test"))
        let origin = try await LocalHTTPServer.shared()
        let result = try await checker.check(HTTPCheckTarget(url: origin.url("/status/200")))
        #expect(result.failure == .proxyFailure(reason: "cannot connect to the proxy at 127.0.0.1:\(port)"))
    }
}
