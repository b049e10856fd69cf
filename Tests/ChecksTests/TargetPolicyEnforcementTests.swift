import Checks
import Curl
import Foundation
import ICMP
import Logging
import TestSupport
import Testing

/// The target policy where traffic leaves: with TARGET_DENY=127.0.9.0/24 and the owner an admin
/// (so loopback is otherwise allowed), nothing reaches 127.0.9.1 — not by a redirect, not through a
/// name, not by ping — while 127.0.0.1 is checked as usual. Real servers and real ICMP on loopback.
@Suite(.serialized) struct TargetPolicyEnforcementTests {
    static let logger = Logger(label: "TargetPolicyEnforcementTests")
    let policy: TargetPolicy
    let client: CurlHTTPClient

    init() throws {
        policy = TargetPolicy(deny: try .parse("127.0.9.0/24", setting: "TARGET_DENY"))
        client = try CurlHTTPClient(logger: Self.logger)
    }

    func checker(resolveOverrides: [String] = [], proxy: ProxySetting = .none) -> HTTPChecker {
        HTTPChecker(
            client: client, proxy: proxy, policy: policy, resolveOverrides: resolveOverrides, logger: Self.logger)
    }

    /// Requests the server answered, read without the policy.
    func requestsSeen(by server: LocalHTTPServer) async throws -> String {
        let response = try await client.execute(HTTPRequest(url: server.url("/requests"), proxy: .none))
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test func aRedirectToADeniedAddressFailsByPolicyAndTheDeniedServerGetsNoRequest() async throws {
        let denied = try await LocalHTTPServer(host: "127.0.9.1")
        defer { denied.stop() }
        let origin = try await LocalHTTPServer.shared()
        let hop = denied.url("/check/1").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let result = try await checker().check(
            HTTPCheckTarget(url: origin.url("/redirect-to?url=\(hop)")), ownerIsAdmin: true)
        #expect(result.failure == .deniedByPolicy(reason: "127.0.9.1 is denied by TARGET_DENY (127.0.9.0/24)"))
        #expect(result.failure?.code == "denied_by_policy")
        #expect(try await requestsSeen(by: denied) == "0")
    }

    @Test func aDeniedAddressIsRefusedBeforeConnectingSoAClosedPortLooksTheSameAsAnOpenOne() async throws {
        // Nothing listens on 127.0.9.1:1: a connect attempt would come back "connection refused",
        // telling closed ports from open ones — the scanner the policy exists to prevent.
        let origin = try await LocalHTTPServer.shared()
        let hop = "http://127.0.9.1:1/".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let result = try await checker().check(
            HTTPCheckTarget(url: origin.url("/redirect-to?url=\(hop)")), ownerIsAdmin: true)
        #expect(result.failure == .deniedByPolicy(reason: "127.0.9.1 is denied by TARGET_DENY (127.0.9.0/24)"))
        let direct = try await checker().check(HTTPCheckTarget(url: "http://127.0.9.1:1/"), ownerIsAdmin: true)
        #expect(direct.failure == result.failure)
    }

    @Test func aHostNameMappedToADeniedAddressIsRefusedAtConnect() async throws {
        let denied = try await LocalHTTPServer(host: "127.0.9.1")
        defer { denied.stop() }
        // CURLOPT_RESOLVE answers the name inside libcurl: no /etc/hosts entry, no DNS server.
        let mapped = checker(resolveOverrides: ["denied.test:\(denied.port):127.0.9.1"])
        let result = try await mapped.check(
            HTTPCheckTarget(url: "http://denied.test:\(denied.port)/check/1"), ownerIsAdmin: true)
        #expect(
            result.failure
                == .deniedByPolicy(reason: "denied.test (127.0.9.1) is denied by TARGET_DENY (127.0.9.0/24)"))
        #expect(try await requestsSeen(by: denied) == "0")
    }

    @Test func anAllowedLoopbackServerIsCheckedAsUsualForAnAdmin() async throws {
        let origin = try await LocalHTTPServer.shared()
        let result = try await checker().check(HTTPCheckTarget(url: origin.url("/redirect/2")), ownerIsAdmin: true)
        #expect(result.ok)
        #expect(result.redirectCount == 2)
    }

    @Test func aNonAdminMayNotCheckLoopback() async throws {
        let origin = try await LocalHTTPServer.shared()
        let result = try await checker().check(HTTPCheckTarget(url: origin.url("/check/1")), ownerIsAdmin: false)
        #expect(
            result.failure
                == .deniedByPolicy(reason: "127.0.0.1 is denied by the target policy (loopback is for admins only)"))
    }

    @Test func throughAProxyTheTargetsAddressIsJudgedBeforeTheRequest() async throws {
        let squid = try await SquidProxy()
        defer { squid.stop() }
        let denied = try await LocalHTTPServer(host: "127.0.9.1")
        defer { denied.stop() }
        let result = try await checker(proxy: .url(squid.url)).check(
            HTTPCheckTarget(url: denied.url("/check/1")), ownerIsAdmin: true)
        #expect(result.failure == .deniedByPolicy(reason: "127.0.9.1 is denied by TARGET_DENY (127.0.9.0/24)"))
        #expect(try await requestsSeen(by: denied) == "0")
        #expect(!squid.accessLogLines().contains { $0.contains("127.0.9.1") }, "the proxy was never asked")
    }

    @Test func aPingToADeniedAddressIsRefusedAndNoEchoIsSent() async throws {
        let pinger = try ICMPPinger(logger: Self.logger)
        defer { pinger.shutdown() }
        let targets = TargetChecker(
            pinger: pinger, http: checker(), policy: policy,
            pingOptions: PingOptions(probes: 2, interval: .milliseconds(10), timeout: .milliseconds(500)))
        let results = try await targets.ping([
            CheckTarget(kind: .icmp, target: "127.0.9.1", ownerIsAdmin: true),
            CheckTarget(kind: .icmp, target: "127.0.0.1", ownerIsAdmin: true),
            CheckTarget(kind: .icmp, target: "127.0.0.1", ownerIsAdmin: false),
        ])
        #expect(results[0].failure == .deniedByPolicy(reason: "127.0.9.1 is denied by TARGET_DENY (127.0.9.0/24)"))
        #expect(results[0].probesSent == 0)
        #expect(results[1].ok)
        #expect(results[1].probesSent == 2)
        #expect(results[2].failure?.code == "denied_by_policy")
        #expect(results[2].probesSent == 0)
    }

    @Test func aHostNameThatResolvesToADeniedAddressIsRefusedBeforeItIsSaved() async throws {
        // "localhost" resolves through the system's own hosts file to 127.0.0.1 (and ::1).
        let vetter = TargetVetter(policy: TargetPolicy(deny: try .parse("127.0.0.1", setting: "TARGET_DENY")))
        let refusal = await vetter.refusal(for: CheckTarget(kind: .icmp, target: "localhost", ownerIsAdmin: true))
        #expect(refusal?.rule == .targetDeny(entry: "127.0.0.1/32"))
        let site = await vetter.refusal(
            for: CheckTarget(kind: .http, target: "http://localhost:8080/x", ownerIsAdmin: true))
        #expect(site?.rule == .targetDeny(entry: "127.0.0.1/32"))
        let allowed = await vetter.refusal(for: CheckTarget(kind: .icmp, target: "127.0.0.2", ownerIsAdmin: true))
        #expect(allowed == nil)
    }

    @Test func aTCPPortsHostAndADNSServerAreJudgedNotTheWrittenURL() async throws {
        let vetter = TargetVetter(policy: TargetPolicy(deny: try .parse("127.0.9.0/24", setting: "TARGET_DENY")))
        let port = await vetter.refusal(
            for: CheckTarget(kind: .tcp, target: "tcp://127.0.9.1:22?expect=SSH-2.0", ownerIsAdmin: true))
        #expect(port?.rule == .targetDeny(entry: "127.0.9.0/24"))
        let named = await vetter.refusal(for: CheckTarget(kind: .tcp, target: "localhost:22", ownerIsAdmin: false))
        #expect(named != nil, "loopback through a name is for admins only")
        let server = await vetter.refusal(
            for: CheckTarget(kind: .dns, target: "dns://127.0.9.53/app.example.org?type=A", ownerIsAdmin: true))
        #expect(server?.rule == .targetDeny(entry: "127.0.9.0/24"))
        // The system resolver is the operator's own: nothing to judge.
        let system = await vetter.refusal(for: CheckTarget(kind: .dns, target: "dns:///app.example.org"))
        #expect(system == nil)
        let allowed = await vetter.refusal(
            for: CheckTarget(kind: .tcp, target: "tcp://127.0.0.1:22", ownerIsAdmin: true))
        #expect(allowed == nil)
    }
}
