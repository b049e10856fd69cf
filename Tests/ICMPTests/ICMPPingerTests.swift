import Foundation
import Logging
import TestSupport
import Testing

@testable import ICMP

/// Raw sockets and namespaces need root. Outside CI these tests skip with this message;
/// in CI they run, and `makePinger` fails them when root is missing: never a silent skip there.
let rootOrCI = TestEnvironment.isRoot || TestEnvironment.isCI
let rootReason: Comment = "needs root: raw ICMP sockets and network namespaces (run as root, or in CI)"

func makePinger(hostCacheTTL: Duration = .seconds(60), socketMode: ICMPSocketMode? = nil) throws -> ICMPPinger {
    try #require(TestEnvironment.isRoot, "ICMP tests must run as root in CI")
    return try ICMPPinger(
        logger: Logger(label: "test.icmp"), resolver: HostResolver(ttl: hostCacheTTL), socketMode: socketMode)
}

/// Fast enough for tests, slow enough to show pacing and per-probe timing. Answered probes never
/// wait for the timeout, so it is generous: a loaded CI machine may read a reply late.
let quick = PingOptions(probes: 3, interval: .milliseconds(20), timeout: .seconds(3), packetsPerSecond: 5000)

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
        let min = try #require(result.rttMin)
        let avg = try #require(result.rttAvg)
        let max = try #require(result.rttMax)
        #expect(min <= avg && avg <= max && max < quick.timeout)
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
        let results = await pinger.ping(
            targets, options: PingOptions(probes: 1, timeout: .seconds(5), packetsPerSecond: 20_000))
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
        let results = await pinger.ping([unresolvableHost, "127.0.0.1"], options: quick)
        guard case .resolveFailed(host: unresolvableHost, _)? = results[0].error else {
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
            // Probe 2 leaves 100 ms after probe 1 and waits its 500 ms: never sooner. The upper
            // bound only shows the call ends by the timeout at all (a loaded machine is late).
            #expect(took >= .milliseconds(550), "took \(took)")
            #expect(took < .seconds(15), "took \(took)")
        }
    }

    @Test func mixedSweepReportsAnsweringAndSilentTargetsWaitingOnTheSilentOnesTogether() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        try await NetworkNamespace.with { namespace in
            let answering = loopbackAddresses(200) + ["::1", namespace.hostAddress, namespace.namespaceAddress]
            let targets = (answering + namespace.silentAddresses).shuffled()
            let options = PingOptions(
                probes: 2, interval: .milliseconds(100), timeout: .seconds(2), packetsPerSecond: 5000)
            let (results, took) = await elapsed { await pinger.ping(targets, options: options) }
            let byTarget = Dictionary(uniqueKeysWithValues: results.map { ($0.target, $0) })
            for target in answering {
                #expect(byTarget[target]?.received == 2, "\(target): \(String(describing: byTarget[target]))")
            }
            for target in namespace.silentAddresses {
                #expect(byTarget[target]?.sent == 2 && byTarget[target]?.received == 0, "\(target)")
            }
            // Probe 2 to a silent target leaves 100 ms after probe 1 and waits its 2 s, so the call
            // needs at least 2.1 s. The six silent targets waited one after another would need
            // 6 x 2.1 s = 12.6 s; well under that shows their timeouts ran together, with room
            // for a loaded machine.
            #expect(took >= .milliseconds(2050), "took \(took)")
            #expect(took < .seconds(9), "took \(took)")
        }
    }

    @Test func concurrentCallsShareTheSocketsWithoutCrossTalk() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let batches = (0..<8).map { loopbackAddresses(150, from: 10_000 + $0 * 150) }
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
        let options = PingOptions(probes: 1, packetsPerSecond: 200)
        let (results, took) = await elapsed {
            await pinger.ping(loopbackAddresses(400, from: 20_000), options: options)
        }
        #expect(results.allSatisfy { $0.received == 1 })
        // 400 sends at 200/s need 2 s (the first leaves at once): the limit, never faster.
        #expect(took >= .milliseconds(1950), "took \(took)")
        // Only a pace far below the limit fails this: ten times too slow would need 20 s.
        #expect(took < .seconds(12), "took \(took)")
    }

    @Test func singlePingDuringALongPacedSweepIsNotQueuedBehindIt() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        let clock = ContinuousClock()
        // 4000 sends at 1000/s: the sweep cannot end sooner than 4 s after it starts.
        let sweep = Task {
            let results = await pinger.ping(
                loopbackAddresses(4000, from: 40_000), options: PingOptions(probes: 1, packetsPerSecond: 1000))
            return (results, clock.now)
        }
        try await Task.sleep(for: .milliseconds(300))
        let single = await pinger.ping("127.0.0.1", options: PingOptions(probes: 1, timeout: .seconds(5)))
        let singleDone = clock.now
        #expect(single.received == 1)
        let (sweepResults, sweepDone) = await sweep.value
        // Queued behind the sweep, the single ping could only end after it; it ends while the
        // sweep still has seconds of sends ahead.
        #expect(singleDone < sweepDone, "the single ping ended \(singleDone - sweepDone) after the sweep")
        #expect(sweepResults.allSatisfy { $0.received == 1 })
    }

    @Test func cancellingACallReturnsPromptlyMarkedCancelled() async throws {
        let pinger = try makePinger()
        defer { pinger.shutdown() }
        try await NetworkNamespace.with { namespace in
            // Uncancelled, the call ends 4 x 5 s + 10 s = 30 s after its first probes.
            let options = PingOptions(probes: 5, interval: .seconds(5), timeout: .seconds(10))
            let task = Task { await pinger.ping([namespace.silentAddresses[0], "127.0.0.1"], options: options) }
            try await Task.sleep(for: .seconds(1))
            let (results, took) = await elapsed {
                task.cancel()
                return await task.value
            }
            #expect(took < .seconds(10), "took \(took), while the call had ~29 s to go")
            #expect(results[0].error == .cancelled && results[0].received == 0 && results[0].sent < 5)
            #expect(results[1].error == .cancelled && results[1].sent < 5)
            #expect(results[1].received >= 1, "the first probe to loopback was answered before the cancel")
        }
    }

    @Test func shutdownEndsPendingCallsAndRefusesNewOnes() async throws {
        let pinger = try makePinger()
        try await NetworkNamespace.with { namespace in
            // Unended, this call would wait 2 x 1 s + 30 s.
            let task = Task {
                await pinger.ping(namespace.silentAddresses[0], options: PingOptions(timeout: .seconds(30)))
            }
            try await Task.sleep(for: .milliseconds(200))
            pinger.shutdown()
            let (pending, took) = await elapsed { await task.value }
            #expect(pending.error == .shutdown)
            #expect(took < .seconds(10), "took \(took), while the call had 30 s to go")
            let later = await pinger.ping("127.0.0.1", options: quick)
            #expect(later.error == .shutdown && later.sent == 0)
        }
    }
}
