import Checks
import Foundation
import HumanFormatting
import Storage

/// What a result says beyond up and down: the slow state and the certificate's expiry.
struct QualityOutcome: Sendable {
    var slow: SlowState
    /// This check was up but slow (stored with its history, counted in the uptime figures).
    var slowCheck: Bool
    /// The certificate to store; nil leaves the stored one as it is.
    var certificate: CertificateRecord?
    var alerts: [OutboxMessage] = []
}

extension MonitorScheduler {
    /// Applies the slow state machine and the certificate warnings to one result. Each alert takes
    /// the next transition counter (`counter`), so its key `alert:<id>:<kind>:<counter>` is unique
    /// and a second move of it adds nothing, as for down and up. A muted owner gets none of these
    /// (a certificate warning is then kept for later: it is not marked as sent).
    func assessQuality(
        _ result: TargetCheckResult, monitor: MonitorRecord, status: MonitorStatus, thresholds: AlertThresholds,
        owner: OwnerProfile?, at now: Date, counter: inout Int
    ) -> QualityOutcome {
        let language = owner?.language ?? .ru
        let muted = owner?.isMuted(at: now) == true
        let rule = SlowRule(options: monitor.options, thresholds: thresholds)
        let reading = rule?.read(result)
        let (slow, slowTransition) = SlowStateMachine.apply(
            reading, rule: rule, status: status, at: now, to: monitor.slow)
        var outcome = QualityOutcome(
            slow: slow, slowCheck: status == .up && reading == .slow, certificate: nil)
        if slowTransition != .none, !muted {
            counter = counter.saturatingIncrement
            if let alert = composer.slowAlert(
                for: monitor, transition: slowTransition, counter: counter, at: now, result: result, rule: rule,
                language: language)
            {
                outcome.alerts.append(alert)
            }
        }
        // Not while down: the owner knows already, and a counter moved while down would make the down
        // alert's Acknowledge button stale (it names the counter of that alert).
        if let seen = result.certificate, status != .down {
            let enabled = (owner?.certificateWarnings ?? true) && !muted
            let (record, warnDays) = CertificateWarnings.evaluate(
                seen: seen, stored: monitor.certificate, now: now, enabled: enabled)
            if record != monitor.certificate { outcome.certificate = record }
            if let warnDays {
                counter = counter.saturatingIncrement
                outcome.alerts.append(
                    composer.certificateWarning(
                        for: monitor, days: warnDays, certificate: record, counter: counter, at: now,
                        language: language))
            }
        }
        return outcome
    }
}
