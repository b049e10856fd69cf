import Foundation
import Storage
import Testing

@testable import Monitor

/// The alert logic as owners experience it: when they are told a monitor went down or came back.
struct AlertStateMachineTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let defaults = AlertThresholds(failuresBeforeAlert: 3, successesBeforeRecovery: 2)

    /// Feeds results one a minute; returns the final state and every transition that happened.
    func run(
        _ results: [Bool], from state: AlertState = AlertState(), thresholds: AlertThresholds? = nil,
        held: Bool = false
    ) -> (AlertState, [AlertTransition]) {
        var state = state
        var transitions: [AlertTransition] = []
        for (index, ok) in results.enumerated() {
            let step = AlertStateMachine.apply(
                ok: ok, at: t0.addingTimeInterval(Double(index) * 60), to: state,
                thresholds: thresholds ?? defaults, held: held)
            state = step.state
            if step.transition != .none { transitions.append(step.transition) }
        }
        return (state, transitions)
    }

    @Test func firstSuccessOfANewMonitorIsUpWithoutAnAlert() {
        let (state, transitions) = run([true])
        #expect(state.status == .up && state.statusSince == t0 && state.successStreak == 1)
        #expect(transitions.isEmpty)
    }

    @Test func newMonitorGoesDownOnlyAtTheKthFailureInARow() {
        let (before, none) = run([false, false])
        #expect(before.status == .unknown && before.failStreak == 2 && none.isEmpty)
        let (state, transitions) = run([false, false, false])
        #expect(state.status == .down && state.statusSince == t0.addingTimeInterval(120))
        #expect(transitions == [.wentDown(since: t0.addingTimeInterval(120))])
    }

    @Test func upMonitorGoesDownAfterKConsecutiveFailures() {
        let (state, transitions) = run([true, false, false, false])
        #expect(state.status == .down && state.failStreak == 3 && state.successStreak == 0)
        #expect(transitions == [.wentDown(since: t0.addingTimeInterval(180))])
    }

    @Test func aSuccessBetweenFailuresRestartsTheCount() {
        let (state, transitions) = run([true, false, false, true, false, false])
        #expect(state.status == .up && state.failStreak == 2)
        #expect(transitions.isEmpty)
    }

    @Test func downMonitorRecoversAfterMSuccessesWithTheDowntime() {
        let (state, transitions) = run([true, false, false, false, true, true])
        let downSince = t0.addingTimeInterval(180)
        #expect(state.status == .up && state.statusSince == t0.addingTimeInterval(300))
        #expect(transitions == [.wentDown(since: downSince), .recovered(downSince: downSince, downtime: 120)])
    }

    @Test func flappingWhileDownDoesNotPingPongAlerts() {
        let (state, transitions) = run([false, false, false, true, false, true, false, true, false])
        #expect(state.status == .down)
        #expect(transitions.count == 1)
    }

    @Test func furtherFailuresWhileDownAreNoNews() {
        let (state, transitions) = run(Array(repeating: false, count: 10))
        #expect(state.status == .down && state.failStreak == 10 && transitions.count == 1)
    }

    @Test func heldFailuresChangeNothingButSuccessesStillCount() {
        let up = AlertState(status: .up, statusSince: t0, failStreak: 2, successStreak: 0)
        let (held, none) = run([false, false, false], from: up, held: true)
        #expect(held == up && none.isEmpty)
        let down = AlertState(status: .down, statusSince: t0, failStreak: 5)
        let (recovered, transitions) = run([true, true], from: down, held: true)
        #expect(recovered.status == .up && transitions.count == 1)
    }

    @Test func thresholdOfOneAlertsOnTheFirstFailureAndRecoversOnTheFirstSuccess() {
        let (_, transitions) = run(
            [true, false, true], thresholds: AlertThresholds(failuresBeforeAlert: 1, successesBeforeRecovery: 1))
        #expect(
            transitions == [
                .wentDown(since: t0.addingTimeInterval(60)),
                .recovered(downSince: t0.addingTimeInterval(60), downtime: 60),
            ])
    }

    @Test func thresholdsBelowOneCountAsOne() {
        let thresholds = AlertThresholds(failuresBeforeAlert: 0, successesBeforeRecovery: -3)
        #expect(thresholds.failuresBeforeAlert == 1 && thresholds.successesBeforeRecovery == 1)
    }

    @Test func stateRestoredFromStorageContinuesTheStreak() {
        // A restart between the second and third failure: the stored streak carries on, one alert.
        let stored = AlertState(
            MonitorRecord(
                ownerID: 1, kind: .icmp, target: "127.0.0.1", name: "r", status: .up, statusSince: t0, failStreak: 2))
        let (state, transitions) = run([false], from: stored)
        #expect(state.status == .down && transitions.count == 1)
    }

    /// Every sequence of up to 8 results, for K and M from 1 to 3, against the rule in words:
    /// down when the last K results failed (and it was not down); up when the last M succeeded after
    /// being down; unknown becomes up at the first success without an alert.
    @Test(arguments: 1...3, 1...3)
    func everySequenceFollowsTheRuleInWords(failures k: Int, successes m: Int) {
        let thresholds = AlertThresholds(failuresBeforeAlert: k, successesBeforeRecovery: m)
        for length in 0...8 {
            for bits in 0..<(1 << length) {
                let results = (0..<length).map { bits & (1 << $0) != 0 }
                let (state, transitions) = run(results, thresholds: thresholds)
                var status = MonitorStatus.unknown
                var expected: [String] = []
                for index in results.indices {
                    let history = results[...index]
                    if results[index] {
                        if status == .unknown { status = .up }
                        if status == .down, history.suffix(m).count == m, history.suffix(m).allSatisfy({ $0 }) {
                            status = .up
                            expected.append("up")
                        }
                    } else if status != .down, history.suffix(k).count == k, history.suffix(k).allSatisfy({ !$0 }) {
                        status = .down
                        expected.append("down")
                    }
                }
                let actual = transitions.map { transition -> String in
                    if case .wentDown = transition { return "down" }
                    return "up"
                }
                #expect(state.status == status, "\(results)")
                #expect(actual == expected, "\(results)")
            }
        }
    }
}
