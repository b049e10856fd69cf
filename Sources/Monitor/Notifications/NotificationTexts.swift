import Checks
import Curl
import Foundation
import HumanFormatting
import Targets
import TelegramAPI

/// What the monitor tells owners and admins, in Russian (the default) and English. Every value
/// inserted into these HTML texts is escaped here.
public struct NotificationTexts: Sendable {
    public let language: Language
    /// The zone times are written in (the owner's, else `TZ`).
    public let zone: ChatTimeZone

    public init(language: Language, zone: ChatTimeZone = .utc) {
        self.language = language
        self.zone = zone
    }

    /// A moment in the reader's zone, with the zone's name.
    func timestamp(_ date: Date) -> String { HumanFormat.timestamp(date, in: zone) }

    func pick(_ ru: String, _ en: String) -> String { language == .ru ? ru : en }

    // MARK: Alerts

    func wentDown(
        name: String, target: String, kind: TargetKind, failure: CheckFailure?, since: Date, failures: Int
    ) -> String {
        let reason = failure.map { self.reason($0, kind: kind) } ?? pick("неизвестна", "unknown")
        let streak = pick(
            "\(failures) \(HumanFormat.ruPlural(failures, "неудачная проверка", "неудачные проверки", "неудачных проверок")) подряд",
            "\(failures) failed \(failures == 1 ? "check" : "checks") in a row")
        return pick("🔴 \(HTML.bold(name)) недоступен", "🔴 \(HTML.bold(name)) is down") + "\n"
            + "\(HTML.code(target))\n"
            + pick("Причина: ", "Reason: ") + HTML.escape(reason) + "\n"
            + pick("С \(timestamp(since)) (\(streak))", "Since \(timestamp(since)) (\(streak))")
    }

    func recovered(name: String, target: String, downSince: Date, downtime: TimeInterval, responseTime: Duration?)
        -> String
    {
        var text =
            pick("🟢 \(HTML.bold(name)) снова работает", "🟢 \(HTML.bold(name)) is back up") + "\n"
            + "\(HTML.code(target))\n"
            + pick(
                "Не работал \(duration(downtime)) (с \(timestamp(downSince)))",
                "Was down for \(duration(downtime)) (since \(timestamp(downSince)))")
        if let responseTime { text += "\n" + responseLine(responseTime) }
        return text
    }

    /// "Ответ: 12 мс" / "Response: 12 ms", under a recovery.
    func responseLine(_ responseTime: Duration) -> String {
        pick(
            "Ответ: \(HumanFormat.milliseconds(responseTime)) мс",
            "Response: \(HumanFormat.milliseconds(responseTime)) ms")
    }

    /// Monitors the target policy (TARGET_ALLOW / TARGET_DENY) now refuses were paused at start.
    func pausedByPolicy(_ paused: [(name: String, target: String, reason: String)], omitted: Int) -> String {
        var text = pick(
            "⏸ Политика адресов бота изменилась, эти мониторы приостановлены и не проверяются:",
            "⏸ The bot's target policy changed; these monitors are paused and no longer checked:")
        for item in paused {
            text += "\n• \(HTML.bold(item.name)) \(HTML.code(item.target))\n  " + HTML.escape(item.reason)
        }
        if omitted > 0 { text += "\n" + pick("…и ещё \(omitted)", "…and \(omitted) more") }
        return text + "\n"
            + pick(
                "Спросите администратора бота, если адрес должен проверяться.",
                "Ask the bot's admin if the address should be checked.")
    }

    /// Heads a message that carries several alerts of one owner.
    func groupHeader(count: Int) -> String {
        pick("📣 Изменений сразу: \(count)", "📣 \(count) changes at once")
    }

    /// Heads the alerts kept for an owner who had blocked the bot, sent when they write again.
    func whileAwayHeader(count: Int) -> String {
        pick(
            "📬 Пока бот был заблокирован, накопились уведомления: \(count)",
            "📬 While the bot was blocked, notifications piled up: \(count)")
    }

    /// Heads the alerts written just before the owner muted, sent when the mute ends.
    func whileMutedHeader(count: Int) -> String {
        pick(
            "🔔 Уведомления снова включены. Отложенные уведомления: \(count)",
            "🔔 Alerts are on again. Notifications held back: \(count)")
    }

    /// One change while the owner had muted alerts: a line of the summary they get when the mute
    /// ends (under `whileMutedHeader`); nil for no change.
    func mutedChange(name: String, transition: AlertTransition, at time: Date) -> String? {
        let name = "\(HTML.bold(name))"
        switch transition {
        case .wentDown(let since):
            return pick("🔴 \(name) — недоступен с \(timestamp(since))", "🔴 \(name) — down since \(timestamp(since))")
        case .recovered(_, let downtime):
            return pick(
                "🟢 \(name) — снова работает с \(timestamp(time)), не работал \(duration(downtime))",
                "🟢 \(name) — back up since \(timestamp(time)), was down for \(duration(downtime))")
        case .none:
            return nil
        }
    }

    // MARK: Admins

    func connectivityLost(since: Date, failedCanaries: [String], proxyDown: String?) -> String {
        var parts: [String] = []
        if !failedCanaries.isEmpty {
            let list = failedCanaries.prefix(5).map { "\(HTML.code($0))" }.joined(separator: ", ")
            parts.append(pick("контрольные узлы не отвечают (\(list))", "the canary targets do not answer (\(list))"))
        }
        if let proxyDown = proxyDown.map(CredentialRedaction.url) {
            parts.append(
                pick("прокси \(HTML.code(proxyDown)) недоступен", "the proxy \(HTML.code(proxyDown)) is unreachable"))
        }
        let what = parts.joined(separator: pick(" и ", " and "))
        return pick(
            "⚠️ Мониторинг потерял связь: \(what). С \(timestamp(since)).\nМногие проверки не проходят; оповещения владельцам приостановлены, чтобы не было ложных тревог.",
            "⚠️ The monitor has lost connectivity: \(what). Since \(timestamp(since)).\nMany checks fail; alerts to owners are held to avoid false alarms."
        )
    }

    func connectivityRestored(since: Date, at: Date) -> String {
        pick(
            "✅ Связь восстановлена (не было \(duration(at.timeIntervalSince(since))), с \(timestamp(since))). Оповещения владельцам возобновлены.",
            "✅ Connectivity is back (lost for \(duration(at.timeIntervalSince(since))), since \(timestamp(since))). Alerts to owners resume."
        )
    }

    // MARK: Failures

    /// Why a check failed, in the owner's words; keyed on the failure's stable code and parameters.
    public func reason(_ failure: CheckFailure, kind: TargetKind = .http) -> String {
        switch failure {
        case .timeout:
            return kind == .icmp
                ? pick("нет ответа на ping", "no reply to ping") : pick("нет ответа (таймаут)", "no answer (timeout)")
        case .refused: return pick("соединение отклонено", "connection refused")
        case .unreachable: return pick("узел недоступен (нет маршрута)", "host unreachable (no route)")
        case .dnsFailure(let host): return pick("имя \(host) не найдено в DNS", "\(host) not found in DNS")
        case .proxyFailure(let reason): return pick("ошибка прокси: \(reason)", "proxy error: \(reason)")
        case .tlsError(let tls):
            switch tls {
            case .selfSigned: return pick("самоподписанный сертификат TLS", "self-signed TLS certificate")
            case .untrustedIssuer:
                return pick("сертификат TLS от недоверенного издателя", "TLS certificate from an untrusted issuer")
            case .hostnameMismatch:
                return pick("сертификат TLS выдан на другое имя", "TLS certificate is for another name")
            case .notYetValid: return pick("сертификат TLS ещё не действует", "TLS certificate not yet valid")
            case .revoked: return pick("сертификат TLS отозван", "TLS certificate revoked")
            case .handshake(let message): return pick("ошибка TLS: \(message)", "TLS error: \(message)")
            }
        case .certificateExpired(let notAfter):
            guard let notAfter else { return pick("срок действия сертификата TLS истёк", "TLS certificate expired") }
            return pick(
                "срок действия сертификата TLS истёк \(HumanFormat.day(notAfter, in: zone))",
                "TLS certificate expired on \(HumanFormat.day(notAfter, in: zone))")
        case .unexpectedStatus(let status): return pick("ответ HTTP \(status)", "HTTP status \(status)")
        case .keywordMissing(let keyword): return pick("на странице нет «\(keyword)»", "the page lacks “\(keyword)”")
        case .keywordPresent(let keyword):
            return pick("на странице есть «\(keyword)»", "the page contains “\(keyword)”")
        case .tooManyRedirects(let limit):
            return pick("слишком много перенаправлений (больше \(limit))", "too many redirects (more than \(limit))")
        case .connectionFailed(let reason):
            return pick("соединение прервано: \(reason)", "connection failed: \(reason)")
        case .invalidTarget(let reason): return pick("неверный адрес: \(reason)", "invalid address: \(reason)")
        case .deniedByPolicy(let reason):
            return pick("запрещено политикой адресов бота: \(reason)", "denied by the bot's target policy: \(reason)")
        case .replyMismatch(let expected):
            return pick("в ответе нет «\(expected)»", "the reply lacks “\(expected)”")
        case .dnsResponseCode(let expected, let received):
            return pick("DNS ответил \(received) вместо \(expected)", "DNS answered \(received) instead of \(expected)")
        case .dnsAnswerMismatch(let expected, let received):
            return pick(
                "ни один ответ DNS не совпал с «\(expected)» (получено: \(received.isEmpty ? "ничего" : received))",
                "no DNS answer matches “\(expected)” (got: \(received.isEmpty ? "nothing" : received))")
        case .dnsNoRecords(let type): return pick("нет записей \(type)", "no \(type) records")
        case .other(let reason): return reason
        }
    }

    // MARK: Formatting

    /// A compact length of time in the owner's language ("45 с", "3 ч 5 мин").
    public func duration(_ interval: TimeInterval) -> String { HumanFormat.duration(interval, language) }
}
