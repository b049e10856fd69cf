import Foundation
import Storage

/// Whether a transition is told now, kept back, or told late: the rules of maintenance windows and
/// dependencies, as a pure function of one check's outcome. Inside maintenance nothing is told;
/// a down monitor whose parent is down or failing waits behind the parent's alert. A kept alert
/// (`HeldAlert`) goes out once, under its own counter, at the first check after its reason is
/// gone — if its news still holds; a transition back cancels it (the owner's picture stayed true).
enum AlertHold {
    struct Outcome: Equatable {
        /// What to tell the owner now (`.none`: nothing).
        var announce: AlertTransition = .none
        /// The counter of the alert's key.
        var counter: Int
        /// What stays kept back after this check.
        var held: HeldAlert?
        /// Set when `announce` is a kept alert going out late.
        var released: HeldAlert.Reason?
    }

    /// - Parameters:
    ///   - counter: the transition counter after this check.
    ///   - parentDown: the monitor's parent is down or failing.
    static func decide(
        transition: AlertTransition, counter: Int, status: MonitorStatus, ok: Bool, held: HeldAlert?,
        inMaintenance: Bool, parentDown: Bool, now: Date
    ) -> Outcome {
        switch transition {
        case .wentDown(let since):
            // Down again before its recovery was told: the owner still believes "down", rightly.
            if held?.transition == .up { return Outcome(counter: counter) }
            if inMaintenance {
                return Outcome(
                    counter: counter,
                    held: HeldAlert(reason: .maintenance, transition: .down, counter: counter, since: since))
            }
            if parentDown {
                return Outcome(
                    counter: counter,
                    held: HeldAlert(reason: .parent, transition: .down, counter: counter, since: since))
            }
            return Outcome(announce: transition, counter: counter)
        case .recovered(let downSince, _):
            // Back before its outage was told: nothing to tell at all.
            if held?.transition == .down { return Outcome(counter: counter) }
            if inMaintenance {
                return Outcome(
                    counter: counter,
                    held: HeldAlert(
                        reason: .maintenance, transition: .up, counter: counter, since: downSince, at: now))
            }
            return Outcome(announce: transition, counter: counter)
        case .none:
            guard let held else { return Outcome(counter: counter) }
            switch held.transition {
            case .down:
                guard status == .down else { return Outcome(counter: counter) }
                // Still kept while the reason lasts, and while it is recovering (no false alarm).
                if inMaintenance || parentDown || ok { return Outcome(counter: counter, held: held) }
                return Outcome(
                    announce: .wentDown(since: held.since), counter: held.counter, released: held.reason)
            case .up:
                guard status == .up else { return Outcome(counter: counter) }
                if inMaintenance { return Outcome(counter: counter, held: held) }
                let at = held.at ?? now
                return Outcome(
                    announce: .recovered(downSince: held.since, downtime: max(0, at.timeIntervalSince(held.since))),
                    counter: held.counter, released: held.reason)
            }
        }
    }
}
