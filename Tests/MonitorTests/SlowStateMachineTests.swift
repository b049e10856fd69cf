import Checks
import Curl
import Foundation
import Storage
import Testing

@testable import Monitor

/// The slow state's rules as a specification: K slow checks in a row, recovery after M clearly
/// fast ones (under 80 % of the threshold), never slow while down, certificate warnings once each.
struct SlowStateMachineTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let rule = SlowRule(
        options: MonitorOptions(slowThresholdMs: 500),
        thresholds: AlertThresholds(failuresBeforeAlert: 3, successesBeforeRecovery: 2))

    func result(ms: Double?, ok: Bool = true) -> TargetCheckResult {
        TargetCheckResult(
            target: CheckTarget(kind: .http, target: "http://x"), checkedAt: t0, failure: ok ? nil : .timeout,
            responseTime: ms.map { .milliseconds($0) })
    }

    func run(_ times: [Double], from start: SlowState = SlowState()) -> (SlowState, [SlowTransition]) {
        var state = start
        var transitions: [SlowTransition] = []
        for (i, ms) in times.enumerated() {
            let step = SlowStateMachine.apply(
                rule?.read(result(ms: ms)), rule: rule, status: .up, at: t0.addingTimeInterval(Double(i)), to: state)
            state = step.state
            if step.transition != .none { transitions.append(step.transition) }
        }
        return (state, transitions)
    }

    @Test func threeSlowChecksInARowMakeItSlowTwoBreaksDoNot() {
        #expect(run([900, 900, 100, 900, 900]).1.isEmpty)
        let (state, transitions) = run([900, 900, 900])
        #expect(transitions == [.becameSlow(since: t0.addingTimeInterval(2))])
        #expect(state.active)
    }

    @Test func recoveryNeedsTwoChecksClearlyUnderTheThreshold() {
        let (slow, _) = run([900, 900, 900])
        // 450 ms is under 500 but above 80 % of it: not yet fast (no flapping at the threshold).
        #expect(run([450, 450, 450], from: slow).1.isEmpty)
        let (state, transitions) = run([100, 450, 100, 100], from: slow)
        #expect(transitions.count == 1)
        if case .recovered(let since, _) = transitions.first { #expect(since == slow.since) } else { Issue.record() }
        #expect(!state.active)
    }

    @Test func aFailedCheckSaysNothingAndADownMonitorIsNotSlow() {
        let (slow, _) = run([900, 900, 900])
        let failed = SlowStateMachine.apply(
            rule?.read(result(ms: nil, ok: false)), rule: rule, status: .up, at: t0, to: slow)
        #expect(failed.state == slow && failed.transition == .none)
        let down = SlowStateMachine.apply(nil, rule: rule, status: .down, at: t0, to: slow)
        #expect(down.state == SlowState() && down.transition == .none)
    }

    @Test func packetLossAtOrAboveThePercentageIsSlow() throws {
        let loss = try #require(
            SlowRule(options: MonitorOptions(packetLossPercent: 20), thresholds: AlertThresholds()))
        func ping(_ answered: Int) -> TargetCheckResult {
            TargetCheckResult(
                target: CheckTarget(kind: .icmp, target: "10.0.0.1"), checkedAt: t0, failure: nil,
                responseTime: .milliseconds(1), probesSent: 10, probesAnswered: answered)
        }
        #expect(loss.read(ping(8)) == .slow)
        #expect(loss.read(ping(9)) == .fast)
        #expect(SlowRule(options: MonitorOptions(), thresholds: AlertThresholds()) == nil)
    }

    @Test func eachCertificateThresholdIsAnnouncedOncePerCertificate() {
        let seen = ServerCertificate(notAfter: t0.addingTimeInterval(10 * 86_400), issuer: "CN=CA", serial: "01")
        let first = CertificateWarnings.evaluate(seen: seen, stored: nil, now: t0, enabled: true)
        #expect(first.warnDays == 14)
        #expect(first.record.warned == [30, 14])
        let again = CertificateWarnings.evaluate(
            seen: seen, stored: first.record, now: t0.addingTimeInterval(60), enabled: true)
        #expect(again.warnDays == nil)
        let sevenDays = CertificateWarnings.evaluate(
            seen: seen, stored: again.record, now: t0.addingTimeInterval(3.5 * 86_400), enabled: true)
        #expect(sevenDays.warnDays == 7)
        // A renewed certificate (another serial) starts over; switched off, nothing is sent or marked.
        var renewed = seen
        renewed.serial = "02"
        #expect(
            CertificateWarnings.evaluate(seen: renewed, stored: sevenDays.record, now: t0, enabled: true).warnDays == 14
        )
        let off = CertificateWarnings.evaluate(seen: seen, stored: nil, now: t0, enabled: false)
        #expect(off.warnDays == nil && off.record.warned.isEmpty)
    }
}
