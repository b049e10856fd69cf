import Checks
import TestSupport
import Testing

/// TCP checks against real listeners on loopback: open, closed, a banner, a send text answered,
/// IPv6, a name, and the target policy (nothing reaches a denied address).
struct TCPCheckerTests {
    let checker = TCPChecker()

    func check(_ target: String, admin: Bool = true, timeout: Duration = .seconds(5), with checker: TCPChecker? = nil)
        async throws -> TargetCheckResult
    {
        try await (checker ?? self.checker).check(
            CheckTarget(kind: .tcp, target: target, ownerIsAdmin: admin), timeout: timeout)
    }

    @Test func anOpenPortIsUpAndAClosedOneIsRefused() async throws {
        let server = try await TCPTestServer()
        let open = try await check("tcp://127.0.0.1:\(server.port)")
        #expect(open.ok)
        #expect(open.responseTime != nil)
        await server.stop()
        let closed = try await check("127.0.0.1:\(try ServerProcess.freeLoopbackPort())")
        #expect(closed.failure == .refused)
        #expect(closed.failure?.code == "connection_refused")
    }

    @Test func aBannerIsMatchedAndAWrongOneIsAMismatchAtTheTimeout() async throws {
        let server = try await TCPTestServer(banner: "SSH-2.0-OpenSSH_9.2p1 Debian\r\n")
        defer { Task { await server.stop() } }
        #expect(try await check("tcp://127.0.0.1:\(server.port)?expect=SSH-2.0").ok)
        let wrong = try await check("tcp://127.0.0.1:\(server.port)?expect=220%20smtp", timeout: .milliseconds(500))
        #expect(wrong.failure == .replyMismatch(expected: "220 smtp"))
        #expect(wrong.failure?.code == "reply_mismatch")
    }

    @Test func theSendTextIsWrittenAndItsReplyMatched() async throws {
        let server = try await TCPTestServer()
        defer { Task { await server.stop() } }
        // The listener echoes: the reply to "PING\r\n" contains "PING".
        #expect(try await check("tcp://127.0.0.1:\(server.port)?send=PING%0D%0A&expect=PING").ok)
        #expect(try await check("tcp://127.0.0.1:\(server.port)?send=hello").ok)
    }

    @Test func ipv6AndNamesConnect() async throws {
        let v6 = try await TCPTestServer(host: "::1")
        defer { Task { await v6.stop() } }
        #expect(try await check("tcp://[::1]:\(v6.port)").ok)
        let v4 = try await TCPTestServer()
        defer { Task { await v4.stop() } }
        // localhost is 127.0.0.1 or ::1, whichever getaddrinfo prefers here: one of the two listeners answers.
        let viaV4 = try await check("tcp://localhost:\(v4.port)").ok
        let viaV6 = try await check("tcp://localhost:\(v6.port)").ok
        #expect(viaV4 || viaV6)
    }

    @Test func aTargetThatDoesNotParseIsInvalidAndNeverLookedUp() async throws {
        // Its 70-letter label is no host name: refused by the syntax before any lookup.
        #expect(try await check("tcp://\(unresolvableHost):22").failure?.code == "invalid_target")
        #expect(try await check("tcp://127.0.0.1:0").failure?.code == "invalid_target")
    }

    @Test func thePolicyRefusesLoopbackToNonAdminsAndTheListenerSeesNoConnection() async throws {
        let server = try await TCPTestServer()
        defer { Task { await server.stop() } }
        let guarded = TCPChecker(policy: TargetPolicy())
        let refused = try await check("tcp://127.0.0.1:\(server.port)", admin: false, with: guarded)
        #expect(
            refused.failure
                == .deniedByPolicy(reason: "127.0.0.1 is denied by the target policy (loopback is for admins only)"))
        let denied = TCPChecker(policy: TargetPolicy(deny: try .parse("127.0.9.0/24", setting: "TARGET_DENY")))
        let deniedResult = try await check("tcp://127.0.9.1:\(server.port)", with: denied)
        #expect(deniedResult.failure == .deniedByPolicy(reason: "127.0.9.1 is denied by TARGET_DENY (127.0.9.0/24)"))
        #expect(server.connections == 0)
        #expect(try await check("tcp://127.0.0.1:\(server.port)", admin: true, with: guarded).ok)
        let deadline = ContinuousClock.now + .seconds(5)
        while server.connections == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.connections == 1)
    }
}
