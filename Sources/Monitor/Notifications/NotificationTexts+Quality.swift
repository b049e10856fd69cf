import Foundation
import HumanFormatting
import Storage
import TelegramAPI

extension NotificationTexts {
    func becameSlow(
        name: String, target: String, since: Date, responseTime: Duration?, loss: Double?, thresholdMs: Double?,
        lossThreshold: Double?, checks: Int
    ) -> String {
        var reasons: [String] = []
        if let thresholdMs, let responseTime, responseTime.timeInterval * 1000 > thresholdMs {
            reasons.append(
                pick(
                    "ответ \(HumanFormat.milliseconds(responseTime)) мс при пороге \(Self.whole(thresholdMs)) мс",
                    "response \(HumanFormat.milliseconds(responseTime)) ms over the \(Self.whole(thresholdMs)) ms threshold"
                ))
        }
        if let lossThreshold, let loss, loss >= lossThreshold - 1e-9 {
            reasons.append(
                pick(
                    "потери пакетов \(Self.percent(loss)) при пороге \(Self.percent(lossThreshold))",
                    "packet loss \(Self.percent(loss)) at the \(Self.percent(lossThreshold)) threshold"))
        }
        let streak = pick(
            "\(checks) \(HumanFormat.ruPlural(checks, "медленная проверка", "медленные проверки", "медленных проверок")) подряд",
            "\(checks) slow \(checks == 1 ? "check" : "checks") in a row")
        return pick("🟡 \(HTML.bold(name)) работает медленно", "🟡 \(HTML.bold(name)) is slow") + "\n"
            + "\(HTML.code(target))\n"
            + (reasons.isEmpty ? "" : HTML.escape(reasons.joined(separator: "; ")) + "\n")
            + pick("С \(HumanFormat.timestamp(since)) (\(streak))", "Since \(HumanFormat.timestamp(since)) (\(streak))")
    }

    func fastAgain(
        name: String, target: String, slowSince: Date, slowFor: TimeInterval, responseTime: Duration?, loss: Double?
    ) -> String {
        var text =
            pick("🟢 \(HTML.bold(name)) снова отвечает быстро", "🟢 \(HTML.bold(name)) is fast again") + "\n"
            + "\(HTML.code(target))\n"
            + pick(
                "Был медленным \(duration(slowFor)) (с \(HumanFormat.timestamp(slowSince)))",
                "Was slow for \(duration(slowFor)) (since \(HumanFormat.timestamp(slowSince)))")
        if let responseTime { text += "\n" + responseLine(responseTime) }
        if let loss, loss > 0 { text += pick(", потери \(Self.percent(loss))", ", loss \(Self.percent(loss))") }
        return text
    }

    func certificateExpiresSoon(name: String, target: String, certificate: CertificateRecord, now: Date) -> String {
        let days = max(0, Int((certificate.notAfter.timeIntervalSince(now) / 86_400).rounded(.up)))
        var text =
            pick(
                "⏳ Сертификат TLS \(HTML.bold(name)) истекает через \(days) \(HumanFormat.ruPlural(days, "день", "дня", "дней"))",
                "⏳ The TLS certificate of \(HTML.bold(name)) expires in \(days) \(days == 1 ? "day" : "days")")
            + "\n\(HTML.code(target))\n"
            + pick(
                "Действует до \(HumanFormat.timestamp(certificate.notAfter))",
                "Valid until \(HumanFormat.timestamp(certificate.notAfter))")
        if let issuer = certificate.issuer {
            text += "\n" + pick("Издатель: ", "Issuer: ") + HTML.escape(String(issuer.prefix(200)))
        }
        return text
    }

    static func whole(_ value: Double) -> String { String(Int(value.rounded())) }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }
}
