import CICMP
import Foundation
import TestSupport
import Testing

@testable import ICMP

/// Unprivileged datagram ICMP depends on net.ipv4.ping_group_range, which these tests set and
/// restore; serialized so they never see each other's setting.
@Suite(.serialized, .enabled(if: rootOrCI, rootReason))
struct ICMPDatagramFallbackTests {
    static let rangePath = "/proc/sys/net/ipv4/ping_group_range"

    @discardableResult
    func withPingGroupRange<T>(_ range: String, _ body: () async throws -> T) async throws -> T {
        try #require(TestEnvironment.isRoot, "changing net.ipv4.ping_group_range needs root")
        let saved = try String(contentsOfFile: Self.rangePath, encoding: .utf8)
        try range.write(toFile: Self.rangePath, atomically: false, encoding: .utf8)
        defer { try? saved.write(toFile: Self.rangePath, atomically: false, encoding: .utf8) }
        return try await body()
    }

    /// Opens a pinger on a thread without CAP_NET_RAW (capabilities are per thread), as an
    /// unprivileged process would.
    func pingerWithoutCapNetRaw() async throws -> Result<ICMPPinger, ICMPSocketError> {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                guard cicmp_set_thread_cap_net_raw(0) == 0 else {
                    continuation.resume(throwing: CapabilityDropFailed(errno: errno))
                    return
                }
                continuation.resume(returning: Result { () throws(ICMPSocketError) in try ICMPPinger() })
                _ = cicmp_set_thread_cap_net_raw(1)
            }.start()
        }
    }

    @Test func withoutCapNetRawThePingerFallsBackToDatagramSockets() async throws {
        try await withPingGroupRange("0 0") {
            let pinger = try await pingerWithoutCapNetRaw().get()
            defer { pinger.shutdown() }
            #expect(pinger.mode == .datagram)
            #expect(await pinger.ping("127.0.0.1", options: quick).received == 3)
        }
    }

    @Test func withoutCapNetRawOrPingGroupTheErrorSaysWhatToGrant() async throws {
        try await withPingGroupRange("1 0") {
            let result = try await pingerWithoutCapNetRaw()
            guard case .failure(let error) = result, case .notPermitted = error else {
                Issue.record("expected notPermitted, got \(result)")
                return
            }
            #expect(error.description.contains("setcap cap_net_raw+ep"))
        }
    }

    @Test func datagramModeOutsidePingGroupRangeFailsWithOneLineGrantAdvice() async throws {
        try await withPingGroupRange("1 0") {
            #expect {
                _ = try makePinger(socketMode: .datagram)
            } throws: { error in
                guard let error = error as? ICMPSocketError, case .notPermitted = error else { return false }
                let text = error.description
                return !text.contains("\n") && text.contains("cap_add: [NET_RAW]")
                    && text.contains("setcap cap_net_raw+ep") && text.contains("ping_group_range")
            }
        }
    }

    @Test func datagramModePingsIPv4AndIPv6LoopbackInsidePingGroupRange() async throws {
        try await withPingGroupRange("0 0") {
            let pinger = try makePinger(socketMode: .datagram)
            defer { pinger.shutdown() }
            #expect(pinger.mode == .datagram)
            let targets = ["127.0.0.1", "::1"] + loopbackAddresses(500, from: 30_000)
            let results = await pinger.ping(targets, options: quick)
            #expect(results.filter { $0.received != 3 }.map(\.target) == [])
        }
    }
}

struct CapabilityDropFailed: Error {
    let errno: Int32
}
