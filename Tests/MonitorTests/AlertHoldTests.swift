import Foundation
import Storage
import Testing

@testable import Monitor

/// The rules of kept-back alerts, one outcome at a time.
struct AlertHoldTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aDownInsideMaintenanceIsKeptAndGoesOutOnceAtTheFirstFailingCheckAfterIt() {
        let kept = AlertHold.decide(
            transition: .wentDown(since: t0), counter: 5, status: .down, ok: false, held: nil, inMaintenance: true,
            parentDown: false, now: t0)
        #expect(kept.announce == .none && kept.held?.reason == .maintenance && kept.held?.counter == 5)
        let still = AlertHold.decide(
            transition: .none, counter: 5, status: .down, ok: false, held: kept.held, inMaintenance: true,
            parentDown: false, now: t0 + 60)
        #expect(still.announce == .none && still.held == kept.held)
        let out = AlertHold.decide(
            transition: .none, counter: 5, status: .down, ok: false, held: kept.held, inMaintenance: false,
            parentDown: false, now: t0 + 3600)
        #expect(
            out.announce == .wentDown(since: t0) && out.counter == 5 && out.held == nil && out.released == .maintenance)
    }

    @Test func aMonitorBackBeforeItsDownWasToldSaysNothingAtAll() {
        let held = HeldAlert(reason: .parent, transition: .down, counter: 5, since: t0)
        let back = AlertHold.decide(
            transition: .recovered(downSince: t0, downtime: 60), counter: 6, status: .up, ok: true, held: held,
            inMaintenance: false, parentDown: true, now: t0 + 60)
        #expect(back.announce == .none && back.held == nil)
        // Recovering (a success while still down) is not "still down": kept, no false alarm.
        let recovering = AlertHold.decide(
            transition: .none, counter: 5, status: .down, ok: true, held: held, inMaintenance: false, parentDown: false,
            now: t0 + 30)
        #expect(recovering.announce == .none && recovering.held == held)
    }

    @Test func aRecoveryInsideMaintenanceIsToldWhenItEndsUnlessItWentDownAgain() {
        let up = AlertHold.decide(
            transition: .recovered(downSince: t0, downtime: 600), counter: 6, status: .up, ok: true, held: nil,
            inMaintenance: true, parentDown: false, now: t0 + 600)
        #expect(up.announce == .none && up.held?.transition == .up)
        let told = AlertHold.decide(
            transition: .none, counter: 6, status: .up, ok: true, held: up.held, inMaintenance: false,
            parentDown: false,
            now: t0 + 4000)
        #expect(told.announce == .recovered(downSince: t0, downtime: 600) && told.counter == 6)
        let downAgain = AlertHold.decide(
            transition: .wentDown(since: t0 + 900), counter: 7, status: .down, ok: false, held: up.held,
            inMaintenance: true, parentDown: false, now: t0 + 900)
        #expect(downAgain.announce == .none && downAgain.held == nil, "the owner's \"down\" still holds")
    }

    @Test func aDownBehindADownParentWaitsAndAnOrdinaryOneIsToldAtOnce() {
        let behind = AlertHold.decide(
            transition: .wentDown(since: t0), counter: 3, status: .down, ok: false, held: nil, inMaintenance: false,
            parentDown: true, now: t0)
        #expect(behind.announce == .none && behind.held?.reason == .parent)
        let alone = AlertHold.decide(
            transition: .wentDown(since: t0), counter: 3, status: .down, ok: false, held: nil, inMaintenance: false,
            parentDown: false, now: t0)
        #expect(alone.announce == .wentDown(since: t0) && alone.held == nil)
    }
}
