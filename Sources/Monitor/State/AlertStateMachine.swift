import Foundation
import Storage

/// How many results in a row change a monitor's status: the owner's choice, else the operator's.
public struct AlertThresholds: Sendable, Hashable {
    /// Consecutive failures before a monitor is declared down (FAILURES_BEFORE_ALERT).
    public var failuresBeforeAlert: Int
    /// Consecutive successes before a down monitor is declared up again (SUCCESSES_BEFORE_RECOVERY).
    public var successesBeforeRecovery: Int

    public init(
        failuresBeforeAlert: Int = OperatorDefaults.failuresBeforeAlert,
        successesBeforeRecovery: Int = OperatorDefaults.successesBeforeRecovery
    ) {
        self.failuresBeforeAlert = max(1, failuresBeforeAlert)
        self.successesBeforeRecovery = max(1, successesBeforeRecovery)
    }
}

/// The part of a monitor's state the alert logic reads and writes (persisted on the monitor).
public struct AlertState: Sendable, Hashable {
    public var status: MonitorStatus
    /// When the current status began; nil while unknown.
    public var statusSince: Date?
    public var failStreak: Int
    public var successStreak: Int

    public init(status: MonitorStatus = .unknown, statusSince: Date? = nil, failStreak: Int = 0, successStreak: Int = 0)
    {
        self.status = status
        self.statusSince = statusSince
        self.failStreak = failStreak
        self.successStreak = successStreak
    }

    public init(_ monitor: MonitorRecord) {
        self.init(
            status: monitor.status, statusSince: monitor.statusSince, failStreak: monitor.failStreak,
            successStreak: monitor.successStreak)
    }
}

/// What a result did to the monitor's status, as far as its owner is concerned.
public enum AlertTransition: Sendable, Hashable {
    /// Nothing to tell (this includes unknown → up: a monitor's first success is no news).
    case none
    /// The monitor is down as of `since`.
    case wentDown(since: Date)
    /// The monitor is up again after being down from `downSince` for `downtime` seconds.
    case recovered(downSince: Date, downtime: TimeInterval)
}

/// The per-monitor alert logic, as a pure function of the state and one result.
///
/// - unknown → up on the first success (no alert); unknown or up → down after K failures in a row.
/// - down → up after M successes in a row, so a flapping target does not ping-pong alerts.
/// - While the monitor itself is cut off (`held`), a failure is no evidence: nothing changes.
public enum AlertStateMachine {
    public static func apply(
        ok: Bool, at time: Date, to state: AlertState, thresholds: AlertThresholds,
        held: Bool = false
    ) -> (state: AlertState, transition: AlertTransition) {
        var next = state
        if ok {
            next.failStreak = 0
            next.successStreak = state.successStreak.saturatingIncrement
            switch state.status {
            case .unknown:
                next.status = .up
                next.statusSince = time
                return (next, .none)
            case .up:
                return (next, .none)
            case .down:
                guard next.successStreak >= thresholds.successesBeforeRecovery else { return (next, .none) }
                let downSince = state.statusSince ?? time
                next.status = .up
                next.statusSince = time
                return (next, .recovered(downSince: downSince, downtime: max(0, time.timeIntervalSince(downSince))))
            }
        }
        if held { return (state, .none) }
        next.successStreak = 0
        next.failStreak = state.failStreak.saturatingIncrement
        guard state.status != .down, next.failStreak >= thresholds.failuresBeforeAlert else { return (next, .none) }
        next.status = .down
        next.statusSince = time
        return (next, .wentDown(since: time))
    }
}
