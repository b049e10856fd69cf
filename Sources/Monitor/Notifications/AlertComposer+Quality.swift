import Checks
import Foundation
import HumanFormatting
import Storage

extension AlertComposer {
    /// "alert:<id>:slow:<counter>" when a monitor turns slow, "alert:<id>:fast:<counter>" when it is fast again.
    func slowAlert(
        for monitor: MonitorRecord, transition: SlowTransition, counter: Int, at time: Date,
        result: TargetCheckResult, rule: SlowRule?, language: Language
    ) -> OutboxMessage? {
        let texts = NotificationTexts(language: language)
        let text: String
        let key: String
        switch transition {
        case .none:
            return nil
        case .becameSlow(let since):
            text = texts.becameSlow(
                name: monitor.name, target: monitor.target, since: since, responseTime: result.responseTime,
                loss: result.packetLoss, thresholdMs: rule?.thresholdMs, lossThreshold: rule?.lossThreshold,
                checks: rule?.checksBeforeSlow ?? 1)
            key = Self.dedupeKey(monitorID: monitor.id, transition: "slow", counter: counter)
        case .recovered(let slowSince, let duration):
            text = texts.fastAgain(
                name: monitor.name, target: monitor.target, slowSince: slowSince, slowFor: duration,
                responseTime: result.responseTime, loss: result.packetLoss)
            key = Self.dedupeKey(monitorID: monitor.id, transition: "fast", counter: counter)
        }
        return OutboxMessage(chatID: monitor.ownerID, text: text, dedupeKey: key, notBefore: time, createdAt: time)
    }

    /// "alert:<id>:cert<days>:<counter>": the certificate expires within `days` days.
    func certificateWarning(
        for monitor: MonitorRecord, days: Int, certificate: CertificateRecord, counter: Int, at time: Date,
        language: Language
    ) -> OutboxMessage {
        let text = NotificationTexts(language: language).certificateExpiresSoon(
            name: monitor.name, target: monitor.target, certificate: certificate, now: time)
        return OutboxMessage(
            chatID: monitor.ownerID, text: text,
            dedupeKey: Self.dedupeKey(monitorID: monitor.id, transition: "cert\(days)", counter: counter),
            notBefore: time, createdAt: time)
    }
}
