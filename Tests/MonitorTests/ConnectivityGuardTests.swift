import Foundation
import Synchronization
import Testing

@testable import Monitor

/// Telling a dead target from a dead monitor, with the canaries' answer scripted.
struct ConnectivityGuardTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A prober whose answer the test sets, counting how often it was asked.
    final class ScriptedCanaries: Sendable {
        let reachable = Atomic<Bool>(true)
        let probes = Atomic<Int>(0)

        var prober: ConnectivityGuard.Prober {
            { [self] in
                probes.add(1, ordering: .relaxed)
                return reachable.load(ordering: .relaxed)
                    ? ConnectivityProbe(reachable: true)
                    : ConnectivityProbe(reachable: false, failedCanaries: ["127.0.0.1"])
            }
        }
    }

    func makeGuard(_ canaries: ScriptedCanaries?) -> ConnectivityGuard {
        ConnectivityGuard(
            prober: canaries?.prober, window: .seconds(60), suspectFailures: 3, suspectRatio: 0.5,
            recheckInterval: .seconds(5), logger: testLogger)
    }

    @Test func healthyResultsNeverAskTheCanaries() async {
        let canaries = ScriptedCanaries()
        let connectivityGuard = makeGuard(canaries)
        for second in 0..<10 {
            let verdict = await connectivityGuard.assess(
                ok: 10, failed: 0, wouldGoDown: false, at: t0.addingTimeInterval(Double(second)))
            #expect(!verdict.held && verdict.events.isEmpty)
        }
        #expect(canaries.probes.load(ordering: .relaxed) == 0)
    }

    @Test func manyFailuresWithDeadCanariesHoldAlertsAndReportOnce() async {
        let canaries = ScriptedCanaries()
        canaries.reachable.store(false, ordering: .relaxed)
        let connectivityGuard = makeGuard(canaries)
        let first = await connectivityGuard.assess(ok: 1, failed: 9, wouldGoDown: false, at: t0)
        #expect(first.held)
        #expect(
            first.events == [
                .lost(since: t0, probe: ConnectivityProbe(reachable: false, failedCanaries: ["127.0.0.1"]))
            ])
        let second = await connectivityGuard.assess(ok: 0, failed: 10, wouldGoDown: true, at: t0.addingTimeInterval(1))
        #expect(second.held && second.events.isEmpty)
        // Within the recheck interval the canaries are not asked again.
        #expect(canaries.probes.load(ordering: .relaxed) == 1)
    }

    @Test func canariesAnsweringAgainRestoresAlertsAndReportsOnce() async {
        let canaries = ScriptedCanaries()
        canaries.reachable.store(false, ordering: .relaxed)
        let connectivityGuard = makeGuard(canaries)
        _ = await connectivityGuard.assess(ok: 0, failed: 10, wouldGoDown: true, at: t0)
        canaries.reachable.store(true, ordering: .relaxed)
        // The verdict stands until the recheck interval has passed...
        #expect(
            await connectivityGuard.assess(ok: 10, failed: 0, wouldGoDown: false, at: t0.addingTimeInterval(1)).held)
        // ...then the canaries are asked again, even though nothing fails any more.
        let back = await connectivityGuard.assess(ok: 10, failed: 0, wouldGoDown: false, at: t0.addingTimeInterval(6))
        #expect(!back.held && back.events == [.restored(since: t0, at: t0.addingTimeInterval(6))])
        let after = await connectivityGuard.assess(ok: 10, failed: 0, wouldGoDown: false, at: t0.addingTimeInterval(12))
        #expect(!after.held && after.events.isEmpty)
    }

    @Test func aCheckSentWhileCutOffIsHeldEvenIfItFailsAfterConnectivityReturned() async {
        let canaries = ScriptedCanaries()
        canaries.reachable.store(false, ordering: .relaxed)
        let connectivityGuard = makeGuard(canaries)
        _ = await connectivityGuard.assess(ok: 0, failed: 10, wouldGoDown: true, startedAt: t0, at: t0)
        canaries.reachable.store(true, ordering: .relaxed)
        let back = await connectivityGuard.assess(
            ok: 5, failed: 0, wouldGoDown: false, startedAt: t0.addingTimeInterval(9), at: t0.addingTimeInterval(10))
        #expect(back.events.count == 1)
        // A ping sent at t0+9 (still cut off) times out at t0+11: no evidence against its target.
        let late = await connectivityGuard.assess(
            ok: 0, failed: 1, wouldGoDown: true, startedAt: t0.addingTimeInterval(9), at: t0.addingTimeInterval(11))
        #expect(late.held && late.events.isEmpty)
        let fresh = await connectivityGuard.assess(
            ok: 0, failed: 1, wouldGoDown: true, startedAt: t0.addingTimeInterval(11), at: t0.addingTimeInterval(12))
        #expect(!fresh.held)
    }

    @Test func oneTargetGoingDownIsCheckedAgainstTheCanariesButNotHeld() async {
        let canaries = ScriptedCanaries()
        let connectivityGuard = makeGuard(canaries)
        let verdict = await connectivityGuard.assess(ok: 50, failed: 1, wouldGoDown: true, at: t0)
        #expect(!verdict.held && verdict.events.isEmpty)
        #expect(canaries.probes.load(ordering: .relaxed) == 1)
    }

    @Test func fewFailuresAmongManySuccessesAreNotSuspicious() async {
        let canaries = ScriptedCanaries()
        canaries.reachable.store(false, ordering: .relaxed)
        let connectivityGuard = makeGuard(canaries)
        let verdict = await connectivityGuard.assess(ok: 100, failed: 2, wouldGoDown: false, at: t0)
        #expect(!verdict.held)
        #expect(canaries.probes.load(ordering: .relaxed) == 0)
    }

    @Test func withoutCanariesOrProxyNothingIsHeld() async {
        let connectivityGuard = makeGuard(nil)
        let verdict = await connectivityGuard.assess(ok: 0, failed: 100, wouldGoDown: true, at: t0)
        #expect(!verdict.held && verdict.events.isEmpty)
    }
}
