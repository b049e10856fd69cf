import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ICMP

/// One owner's failing names must not cost every batch a lookup again.
struct HostResolverTests {
    @Test func aFailedLookupIsCachedSoTheNextBatchDoesNotLookItUpAgain() async {
        let resolver = HostResolver(ttl: .seconds(60))
        let first = await resolver.resolve([unresolvableHost, "127.0.0.1"], v4: true, v6: true)
        let second = await resolver.resolve([unresolvableHost], v4: true, v6: true)
        guard case .resolveFailed(host: unresolvableHost, _)? = second.first?.error else {
            Issue.record("expected a cached resolve error, got \(String(describing: second.first?.error))")
            return
        }
        #expect(first.first?.error == second.first?.error)
        #expect(resolver.lookups.load(ordering: .relaxed) == 1)
        #expect(first.last?.address != nil, "an address literal needs no lookup")
    }
}

/// A dead nameserver, as the resolver's pool sees it: each lookup blocks its pool thread until the
/// test lets go (the pool's threads, never cooperative ones), then answers `answer`.
private final class HeldLookup: Sendable {
    private let released = Mutex(false)
    private let condition = NSCondition()
    /// Lookups that reached the blocking call.
    let entered = Atomic<Int>(0)
    private let answer: @Sendable (String) -> Result<[IPAddress], PingError>

    init(answer: @escaping @Sendable (String) -> Result<[IPAddress], PingError> = { _ in loopback }) {
        self.answer = answer
    }

    func lookup(_ name: String) -> Result<[IPAddress], PingError> {
        entered.add(1, ordering: .relaxed)
        condition.lock()
        while !released.withLock({ $0 }) { condition.wait() }
        condition.unlock()
        return answer(name)
    }

    func release() {
        condition.lock()
        released.withLock { $0 = true }
        condition.broadcast()
        condition.unlock()
    }

    /// Suspends (never blocks) until `count` lookups are inside the blocking call.
    func waitUntilEntered(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while entered.load(ordering: .relaxed) < count {
            guard ContinuousClock.now < deadline else {
                throw HeldLookupTimedOut(entered: entered.load(ordering: .relaxed))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

private struct HeldLookupTimedOut: Error {
    var entered: Int
}

private let loopback: Result<[IPAddress], PingError> = .success(IPAddress(numeric: "127.0.0.1").map { [$0] } ?? [])

/// The resolver's limits on a dead nameserver: a deadline per lookup, a cap on waiting lookups,
/// and failures remembered for `negativeTTL`.
@Suite(.timeLimit(.minutes(1)))  // a lost deadline or cap would hang, not fail
struct HostResolverLimitsTests {
    @Test func aLookupThatNeverReturnsIsGivenUpAfterTheDeadline() async throws {
        let held = HeldLookup()
        defer { held.release() }
        let resolver = HostResolver(
            ttl: .seconds(60), negativeTTL: .seconds(30), deadline: .milliseconds(200), maxPending: 8,
            lookup: held.lookup)
        let results = await resolver.resolve(["silent.isolation.test", "127.0.0.2"], v4: true, v6: true)
        guard case .resolveFailed(host: "silent.isolation.test", let reason)? = results.first?.error else {
            Issue.record("expected a given-up lookup, got \(String(describing: results.first?.error))")
            return
        }
        #expect(reason.contains("no answer within"))
        #expect(results.last?.address?.description == "127.0.0.2", "the address beside it is not held")
        #expect(held.entered.load(ordering: .relaxed) == 1, "the lookup itself is still blocked")
        // The given-up name is remembered as failed: the next check neither waits nor asks again.
        guard case .failure(.resolveFailed) = await resolver.addresses(of: "silent.isolation.test") else {
            Issue.record("expected the cached failure")
            return
        }
        #expect(resolver.lookups.load(ordering: .relaxed) == 1)
    }

    @Test func beyondMaxPendingANameFailsAtOnceAsResolverBusy() async throws {
        let held = HeldLookup()
        // An hour's deadline: a busy answer that arrives at all did not wait for it.
        let resolver = HostResolver(
            ttl: .seconds(60), negativeTTL: .seconds(30), deadline: .seconds(3600), maxPending: 2,
            lookup: held.lookup)
        let first = Task { await resolver.addresses(of: "one.isolation.test") }
        let second = Task { await resolver.addresses(of: "two.isolation.test") }
        do {
            try await held.waitUntilEntered(2)
        } catch {
            held.release()
            throw error
        }
        let busy = await resolver.addresses(of: "three.isolation.test")
        #expect(busy == .failure(.resolverBusy(host: "three.isolation.test")))
        #expect(resolver.lookups.load(ordering: .relaxed) == 2, "the busy name was not handed to the pool")
        held.release()
        #expect(await first.value == .success(["127.0.0.1"]))
        #expect(await second.value == .success(["127.0.0.1"]))
        // "Busy" says nothing about the name: it is not cached, and with room again it resolves.
        #expect(await resolver.addresses(of: "three.isolation.test") == .success(["127.0.0.1"]))
        #expect(resolver.lookups.load(ordering: .relaxed) == 3)
    }

    @Test func aFailedLookupIsRememberedForNegativeTTLOnlyAndAnAnswerForTTL() async throws {
        let held = HeldLookup { name in
            name.hasPrefix("dead") ? .failure(.resolveFailed(host: name, reason: "no such name")) : loopback
        }
        held.release()  // answers at once
        let remembering = HostResolver(
            ttl: .seconds(60), negativeTTL: .seconds(60), deadline: .seconds(60), maxPending: 8, lookup: held.lookup)
        _ = await remembering.addresses(of: "dead.isolation.test")
        _ = await remembering.addresses(of: "dead.isolation.test")
        #expect(remembering.lookups.load(ordering: .relaxed) == 1, "within negativeTTL the failure is reused")

        let forgetting = HostResolver(
            ttl: .seconds(60), negativeTTL: .milliseconds(1), deadline: .seconds(60), maxPending: 8,
            lookup: held.lookup)
        _ = await forgetting.resolve(["dead.isolation.test", "alive.isolation.test"], v4: true, v6: true)
        try await Task.sleep(for: .milliseconds(50))  // well past negativeTTL, far within ttl
        let again = await forgetting.resolve(["dead.isolation.test", "alive.isolation.test"], v4: true, v6: true)
        #expect(forgetting.lookups.load(ordering: .relaxed) == 3, "the failure is asked again, the answer is not")
        #expect(again.last?.address?.description == "127.0.0.1")
    }
}
