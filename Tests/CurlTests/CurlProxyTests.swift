import Curl
import Foundation
import Logging
import TestSupport
import Testing

/// Requests through a real squid on loopback, the way the DMZ deployment reaches the internet.
@Suite(.enabled(if: SquidProxy.isAvailableOrRequired, "needs squid (apt-get install squid)"))
struct CurlProxyTests {
    let origin: LocalHTTPServer
    let client: CurlHTTPClient

    init() async throws {
        origin = try await LocalHTTPServer.shared()
        client = try CurlHTTPClient(logger: Logger(label: "CurlProxyTests"))
    }

    @Test func explicitProxyCarriesTheRequestThroughSquid() async throws {
        let squid = try await SquidProxy()
        let path = "/check/explicit-\(UUID().uuidString)"
        let response = try await client.execute(HTTPRequest(url: origin.url(path), proxy: .url(squid.url)))
        #expect(response.status == 200)
        #expect(response.remotePort == squid.port)
        #expect(await squid.waitForAccessLog(containing: "GET \(origin.url(path))", timeout: .seconds(30)))
    }

    @Test func httpsThroughTheProxyUsesAConnectTunnel() async throws {
        let squid = try await SquidProxy()
        let certificates = try await TestCertificates.selfSigned()
        defer { certificates.remove() }
        let tlsOrigin = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { tlsOrigin.stop() }
        let request = HTTPRequest(
            url: tlsOrigin.url("/status/200"), caBundlePath: certificates.caPath,
            proxy: .url(squid.url), freshConnection: true)
        let response = try await client.execute(request)
        #expect(response.status == 200)
        #expect(await squid.waitForAccessLog(containing: "CONNECT 127.0.0.1:\(tlsOrigin.port)", timeout: .seconds(30)))
    }

    @Test func proxySettingNoneGoesDirect() async throws {
        let squid = try await SquidProxy()
        let path = "/check/none-\(UUID().uuidString)"
        let response = try await client.execute(HTTPRequest(url: origin.url(path), proxy: .none))
        #expect(response.status == 200)
        #expect(response.remotePort == origin.port)
        #expect(await !squid.waitForAccessLog(containing: path, timeout: .milliseconds(500)))
    }

    @Test func noProxyCoveringTheHostBypassesTheProxy() async throws {
        let squid = try await SquidProxy()
        let path = "/check/noproxy-\(UUID().uuidString)"
        let response = try await client.execute(
            HTTPRequest(url: origin.url(path), proxy: .url(squid.url), noProxy: "127.0.0.1"))
        #expect(response.status == 200)
        #expect(await !squid.waitForAccessLog(containing: path, timeout: .milliseconds(500)))
    }

    @Test func unreachableOriginBehindTheProxyIsReportedBySquid() async throws {
        let squid = try await SquidProxy()
        let closedPort = try ServerProcess.freeLoopbackPort()
        let response = try await client.execute(
            HTTPRequest(url: "http://127.0.0.1:\(closedPort)/", proxy: .url(squid.url)))
        #expect(response.status == 503)
        #expect(response.headers["X-Squid-Error"]?.hasPrefix("ERR_CONNECT_FAIL") == true)
    }

    // The environment is process-global and libcurl reads it on its own thread: setting http_proxy
    // here would race every other test. So these run the test binary again as a child process, with
    // the variables set only there (see `EnvironmentProxyChild`).

    @Test func environmentProxyIsHonouredWithTheEnvironmentSetting() async throws {
        let squid = try await SquidProxy()
        let path = "/check/env-\(UUID().uuidString)"
        let status = try await EnvironmentProxyChild.run(
            url: origin.url(path), setting: "environment", environment: ["http_proxy": squid.url])
        #expect(status == 0)
        #expect(await squid.waitForAccessLog(containing: "GET \(origin.url(path))", timeout: .seconds(30)))
    }

    @Test func environmentNoProxyIsHonoured() async throws {
        let squid = try await SquidProxy()
        let path = "/check/env-noproxy-\(UUID().uuidString)"
        let status = try await EnvironmentProxyChild.run(
            url: origin.url(path), setting: "environment",
            environment: ["http_proxy": squid.url, "no_proxy": "127.0.0.1"])
        #expect(status == 0)
        #expect(await !squid.waitForAccessLog(containing: path, timeout: .milliseconds(500)))
    }

    @Test func proxySettingNoneOverridesTheEnvironment() async throws {
        let squid = try await SquidProxy()
        let path = "/check/env-none-\(UUID().uuidString)"
        let status = try await EnvironmentProxyChild.run(
            url: origin.url(path), setting: "none", environment: ["http_proxy": squid.url])
        #expect(status == 0)
        #expect(await !squid.waitForAccessLog(containing: path, timeout: .milliseconds(500)))
    }
}

/// The child half of the environment-proxy tests: one request with the proxy setting it was given.
/// It runs only inside the child process its parent test starts (skipped otherwise).
enum EnvironmentProxyChild {
    static let urlVariable = "UPTIMEBOT_TEST_CHILD_URL"
    static let settingVariable = "UPTIMEBOT_TEST_CHILD_PROXY_SETTING"
    static var isChild: Bool { ProcessInfo.processInfo.environment[urlVariable] != nil }

    /// Runs `requestInChildProcess` in a new process of this test binary; returns its exit status.
    static func run(url: String, setting: String, environment: [String: String]) async throws -> Int32 {
        var childEnvironment = ProcessInfo.processInfo.environment
        for name in [
            "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
        ] {
            childEnvironment[name] = nil
        }
        childEnvironment.merge(environment) { $1 }
        childEnvironment[urlVariable] = url
        childEnvironment[settingVariable] = setting
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let child = try ServerProcess(
            name: "test child", executable: binary,
            arguments: ["--testing-library", "swift-testing", "--filter", "requestInChildProcess"],
            environment: childEnvironment)
        guard let status = await child.waitForExit(timeout: .seconds(60)) else {
            throw ServerProcessError("the child test process did not finish")
        }
        return status
    }
}

@Test(.enabled(if: EnvironmentProxyChild.isChild, "runs only as the child process of the environment-proxy tests"))
func requestInChildProcess() async throws {
    let environment = ProcessInfo.processInfo.environment
    let url = try #require(environment[EnvironmentProxyChild.urlVariable])
    let setting: ProxySetting = environment[EnvironmentProxyChild.settingVariable] == "none" ? .none : .environment
    let client = try CurlHTTPClient(logger: Logger(label: "child"))
    let response = try await client.execute(HTTPRequest(url: url, proxy: setting))
    #expect(response.status == 200)
}
