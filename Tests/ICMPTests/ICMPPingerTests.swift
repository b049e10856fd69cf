import Foundation
import Logging
import Testing
import TestSupport
@testable import ICMP

/// Raw sockets and namespaces need root. Outside CI these tests skip with this message;
/// in CI they run, and `makePinger` fails them when root is missing: never a silent skip there.
let rootOrCI = TestEnvironment.isRoot || TestEnvironment.isCI
let rootReason: Comment = "needs root: raw ICMP sockets and network namespaces (run as root, or in CI)"

func makePinger(hostCacheTTL: Duration = .seconds(60), socketMode: ICMPSocketMode? = nil) throws -> ICMPPinger {
    try #require(TestEnvironment.isRoot, "ICMP tests must run as root in CI")
    return try ICMPPinger(logger: Logger(label: "test.icmp"), hostCacheTTL: hostCacheTTL, socketMode: socketMode)
}

/// Fast enough for tests, slow enough to show pacing and per-probe timing.
let quick = PingOptions(probes: 3, interval: .milliseconds(20), timeout: .seconds(1), packetsPerSecond: 5000)

/// Distinct addresses in 127.0.0.0/8 (all answer on Linux loopback), skipping .0 and .255.
func loopbackAddresses(_ count: Int, from start: Int = 0) -> [String] {
    (start ..< start + count).map { "127.\(1 + $0 / 62_500).\($0 / 250 % 250).\($0 % 250 + 1)" }
}

func elapsed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try await body()
    return (value, clock.now - start)
}

@Suite(.enabled(if: rootOrCI, rootReason))
struct ICMPPingerTests {
    @Test func ipv4LoopbackAnswersEveryProbe() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let result = await pinger.ping("127.0.0.1", options: quick)
        #expect(result.sent == 3)
        #expect(result.received == 3)
        #expect(result.loss == 0)
        #expect(result.error == nil)
        #expect(result.address == "127.0.0.1")
        let min = try #require(result.rttMin), avg = try #require(result.rttAvg), max = try #require(result.rttMax)
        #expect(min <= avg && avg <= max && max < .seconds(1))
    }

    @Test func ipv6LoopbackAnswersEveryProbe() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let result = await pinger.ping("::1", options: quick)
        #expect(result.received == 3 && result.loss == 0 && result.error == nil)
        #expect(result.address == "::1")
    }

    @Test func sweepOfThousandsOfLoopbackAddressesLosesNothingAndKeepsOrder() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let targets = loopbackAddresses(3000)
        let results = await pinger.ping(targets, options: PingOptions(probes: 1, timeout: .seconds(2), packetsPerSecond: 20_000))
        #expect(results.map(\.target) == targets)
        #expect(results.map(\.address) == targets)
        #expect(results.filter { $0.received != 1 }.map(\.target) == [])
    }

    @Test func localhostResolvesAndAnswers() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let result = await pinger.ping("localhost", options: quick)
        #expect(result.received == 3 && result.error == nil)
        #expect(result.address == "127.0.0.1" || result.address == "::1")
    }

    @Test func unresolvableHostnameGivesResolveErrorAndSendsNothing() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let results = await pinger.ping(["no-such-host.invalid", "127.0.0.1"], options: quick)
        guard case .resolveFailed(host: "no-such-host.invalid", _)? = results[0].error else {
            Issue.record("expected a resolve error, got \(String(describing: results[0].error))")
            return
        }
        #expect(results[0].sent == 0 && results[0].address == nil && !results[0].isReachable)
        #expect(results[1].received == 3)
    }

    @Test func hostnamesAreResolvedOncePerCacheLifetime() async throws {
        let cached = try makePinger(hostCacheTTL: .seconds(60))
        defer { cached.shutdown() }
        _ = await cached.ping(["localhost", "localhost"], options: quick)
        _ = await cached.ping("localhost", options: quick)
        #expect(cached.hostLookups == 1)

        let uncached = try makePinger(hostCacheTTL: .zero)
        defer { uncached.shutdown() }
        _ = await uncached.ping("localhost", options: quick)
        _ = await uncached.ping("localhost", options: quick)
        #expect(uncached.hostLookups == 2)
    }

    @Test func silentHostLosesEveryProbeWithinTheTimeout() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        try await NetworkNamespace.with { namespace in
            let options = PingOptions(probes: 2, interval: .milliseconds(100), timeout: .milliseconds(500))
            let (result, took) = await elapsed { await pinger.ping(namespace.silentAddresses[0], options: options) }
            #expect(result.sent == 2 && result.received == 0 && result.loss == 1)
            #expect(result.error == nil && !result.isReachable && result.rttAvg == nil)
            #expect(took >= .milliseconds(550) && took < .milliseconds(1500), "took \(took)")
        }
    }

    @Test func mixedSweepReportsAnsweringAndSilentTargetsInBoundedTime() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        try await NetworkNamespace.with { namespace in
            let answering = loopbackAddresses(200) + ["::1", namespace.hostAddress, namespace.namespaceAddress]
            let targets = (answering + namespace.silentAddresses).shuffled()
            let options = PingOptions(probes: 2, interval: .milliseconds(100), timeout: .milliseconds(500), packetsPerSecond: 5000)
            let (results, took) = await elapsed { await pinger.ping(targets, options: options) }
            let byTarget = Dictionary(uniqueKeysWithValues: results.map { ($0.target, $0) })
            for target in answering {
                #expect(byTarget[target]?.received == 2, "\(target): \(String(describing: byTarget[target]))")
            }
            for target in namespace.silentAddresses {
                #expect(byTarget[target]?.sent == 2 && byTarget[target]?.received == 0, "\(target)")
            }
            // Probe 2 leaves 100 ms after probe 1 and waits 500 ms; pacing 2 x 209 sends adds ~84 ms.
            #expect(took < .milliseconds(1500), "took \(took)")
        }
    }

    @Test func concurrentCallsShareTheSocketsWithoutCrossTalk() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let batches = (0 ..< 8).map { loopbackAddresses(150, from: 10_000 + $0 * 150) }
        let results = await withTaskGroup(of: (Int, [PingResult]).self) { group in
            for (index, batch) in batches.enumerated() {
                group.addTask { (index, await pinger.ping(batch, options: quick)) }
            }
            return await group.reduce(into: [Int: [PingResult]]()) { $0[$1.0] = $1.1 }
        }
        for (index, batch) in batches.enumerated() {
            #expect(results[index]?.map(\.target) == batch)
            #expect(results[index]?.allSatisfy { $0.sent == 3 && $0.received == 3 } == true)
        }
    }

    @Test func pacingHoldsSendsToThePacketsPerSecondLimit() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let options = PingOptions(probes: 1, packetsPerSecond: 1000)
        let (results, took) = await elapsed { await pinger.ping(loopbackAddresses(300, from: 20_000), options: options) }
        #expect(results.allSatisfy { $0.received == 1 })
        #expect(took >= .milliseconds(290) && took < .seconds(2), "took \(took)")
    }

    @Test func singlePingDuringALongPacedSweepIsNotQueuedBehindIt() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let sweep = Task { await pinger.ping(loopbackAddresses(1500, from: 40_000), options: PingOptions(probes: 1, packetsPerSecond: 1000)) }
        try await Task.sleep(for: .milliseconds(100))
        let (single, took) = await elapsed { await pinger.ping("127.0.0.1", options: PingOptions(probes: 1)) }
        #expect(single.received == 1)
        #expect(took < .milliseconds(300), "took \(took) while the sweep needs 1.5 s")
        #expect(await sweep.value.allSatisfy { $0.received == 1 })
    }

    @Test func cancellingACallReturnsPromptlyMarkedCancelled() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        try await NetworkNamespace.with { namespace in
            let options = PingOptions(probes: 5, interval: .seconds(1), timeout: .seconds(5))
            let task = Task { await pinger.ping([namespace.silentAddresses[0], "127.0.0.1"], options: options) }
            try await Task.sleep(for: .milliseconds(200))
            let (results, took) = await elapsed {
                task.cancel()
                return await task.value
            }
            #expect(took < .milliseconds(500), "took \(took)")
            #expect(results[0].error == .cancelled && results[0].received == 0)
            #expect(results[1].received == 1, "the first probe to loopback was answered before the cancel")
        }
    }

    @Test func shutdownEndsPendingCallsAndRefusesNewOnes() async throws {
        let pinger = try makePinger()
        try await NetworkNamespace.with { namespace in
            let task = Task { await pinger.ping(namespace.silentAddresses[0], options: PingOptions(timeout: .seconds(10))) }
            try await Task.sleep(for: .milliseconds(200))
            pinger.shutdown()
            let (pending, took) = await elapsed { await task.value }
            #expect(pending.error == .shutdown && took < .milliseconds(500))
            let later = await pinger.ping("127.0.0.1", options: quick)
            #expect(later.error == .shutdown && later.sent == 0)
        }
    }
}
