import Checks
import Foundation
import Storage

/// When a monitor that answers counts as slow (🟡): the owner's threshold for this monitor.
struct SlowRule: Sendable, Equatable {
    /// Response time above which a check is slow (milliseconds); nil = not judged by time.
    var thresholdMs: Double?
    /// ICMP packet loss (0...1) at or above which a check is slow; nil = not judged by loss.
    var lossThreshold: Double?
    /// Slow checks in a row before "slow" (the monitor's failures before an alert).
    var checksBeforeSlow: Int
    /// Clearly fast checks in a row before "fast again" (SUCCESSES_BEFORE_RECOVERY).
    var checksBeforeRecovery: Int

    /// Hysteresis on the value too: back to fast only under this share of the time threshold, so a
    /// site hovering at the threshold does not flap between slow and fast.
    static let recoveryShare = 0.8

    init?(options: MonitorOptions, thresholds: AlertThresholds) {
        guard options.slowThresholdMs != nil || options.packetLossPercent != nil else { return nil }
        thresholdMs = options.slowThresholdMs.map(Double.init)
        lossThreshold = options.packetLossPercent.map { Double($0) / 100 }
        checksBeforeSlow = thresholds.failuresBeforeAlert
        checksBeforeRecovery = thresholds.successesBeforeRecovery
    }

    enum Reading: Equatable {
        case slow
        /// Under the thresholds with room (time under `recoveryShare` of it, loss under its threshold).
        case fast
        /// Neither: between the recovery share and the threshold. Streaks start over.
        case between
    }

    /// How one successful check reads; nil when the check says nothing (it failed, or no figure).
    func read(_ result: TargetCheckResult) -> Reading? {
        guard result.ok else { return nil }
        let rtt = result.responseTime.map { $0.timeInterval * 1000 }
        let loss = result.packetLoss
        guard (thresholdMs != nil && rtt != nil) || (lossThreshold != nil && loss != nil) else { return nil }
        if let thresholdMs, let rtt, rtt > thresholdMs { return .slow }
        if let lossThreshold, let loss, loss >= lossThreshold - 1e-9 { return .slow }
        if let thresholdMs, let rtt, rtt > thresholdMs * Self.recoveryShare { return .between }
        return .fast
    }
}

/// What a check did to the slow state, as far as the owner is concerned.
enum SlowTransition: Sendable, Equatable {
    case none
    case becameSlow(since: Date)
    case recovered(slowSince: Date, duration: TimeInterval)
}

/// The slow state's logic, a pure function as `AlertStateMachine` is: K slow checks in a row make a
/// monitor slow, M clearly fast ones make it fast again; a monitor that is down is not slow.
enum SlowStateMachine {
    static func apply(
        _ reading: SlowRule.Reading?, rule: SlowRule?, status: MonitorStatus, at time: Date, to state: SlowState
    ) -> (state: SlowState, transition: SlowTransition) {
        // Down, unknown, or no rule any more: not slow, without a word (a down alert says more).
        guard let rule, status == .up else { return (SlowState(), .none) }
        guard let reading else { return (state, .none) }
        var next = state
        switch (state.active, reading) {
        case (false, .slow):
            next.streak = state.streak.saturatingIncrement
            guard next.streak >= rule.checksBeforeSlow else { return (next, .none) }
            next = SlowState(active: true, since: time, streak: 0)
            return (next, .becameSlow(since: time))
        case (false, _):
            next.streak = 0
            return (next, .none)
        case (true, .fast):
            next.streak = state.streak.saturatingIncrement
            guard next.streak >= rule.checksBeforeRecovery else { return (next, .none) }
            let since = state.since ?? time
            return (SlowState(), .recovered(slowSince: since, duration: max(0, time.timeIntervalSince(since))))
        case (true, _):
            next.streak = 0
            return (next, .none)
        }
    }
}
