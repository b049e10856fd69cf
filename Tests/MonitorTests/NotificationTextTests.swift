import BSON
import Checks
import Foundation
import Storage
import Testing

@testable import Monitor

/// What owners read, in their language, and how several alerts share one message.
struct NotificationTextTests {
    let ru = NotificationTexts(language: .ru)
    let en = NotificationTexts(language: .en)
    let since = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func failureReasonsAreToldInTheOwnersLanguage() {
        #expect(en.reason(.timeout) == "no answer (timeout)")
        #expect(en.reason(.timeout, kind: .icmp) == "no reply to ping")
        #expect(ru.reason(.timeout, kind: .icmp) == "нет ответа на ping")
        #expect(en.reason(.refused) == "connection refused")
        #expect(ru.reason(.refused) == "соединение отклонено")
        #expect(en.reason(.unexpectedStatus(503)) == "HTTP status 503")
        #expect(ru.reason(.unexpectedStatus(503)) == "ответ HTTP 503")
        #expect(en.reason(.certificateExpired(notAfter: since)) == "TLS certificate expired on 2027-01-15")
        #expect(ru.reason(.certificateExpired(notAfter: since)) == "срок действия сертификата TLS истёк 2027-01-15")
        #expect(en.reason(.tlsError(.selfSigned)) == "self-signed TLS certificate")
        #expect(ru.reason(.dnsFailure(host: "db.corp")) == "имя db.corp не найдено в DNS")
    }

    @Test func downAlertNamesTheMonitorTargetReasonAndSince() {
        let text = ru.wentDown(
            name: "Роутер <1>", target: "10.0.0.1", kind: .icmp, failure: .timeout, since: since, failures: 3)
        #expect(text.contains("<b>Роутер &lt;1&gt;</b> недоступен"))
        #expect(text.contains("<code>10.0.0.1</code>"))
        #expect(text.contains("Причина: нет ответа на ping"))
        #expect(text.contains("С 2027-01-15 08:00:00 UTC (3 неудачные проверки подряд)"))
        let english = en.wentDown(
            name: "Site", target: "https://a.example", kind: .http, failure: .unexpectedStatus(503), since: since,
            failures: 5)
        #expect(
            english.contains("is down") && english.contains("Reason: HTTP status 503")
                && english.contains("5 failed checks in a row"))
    }

    @Test func recoveryAlertSaysHowLongItWasDown() {
        let text = en.recovered(
            name: "Site", target: "https://a.example", downSince: since, downtime: 3 * 3600 + 5 * 60,
            responseTime: .milliseconds(42))
        #expect(
            text.contains("is back up") && text.contains("Was down for 3 h 5 min") && text.contains("Response: 42 ms"))
        #expect(
            ru.recovered(name: "S", target: "t", downSince: since, downtime: 45, responseTime: nil).contains(
                "Не работал 45 с"))
    }

    @Test func severalAlertsOfOneChatBecomeOneMessageUnderAHeader() {
        let alerts = (1...3).map { OutboxMessage(chatID: 7, text: "alert \($0)", dedupeKey: "alert:\($0):down:1") }
        let parts = OutboxGrouping.messages(alerts, header: en.groupHeader(count:), maxLength: 3800)
        #expect(parts.count == 1)
        #expect(parts[0].text == "📣 3 changes at once\n\nalert 1\n\nalert 2\n\nalert 3")
        #expect(parts[0].messages.count == 3)
        let single = OutboxGrouping.messages([alerts[0]], header: en.groupHeader(count:), maxLength: 3800)
        #expect(single.map(\.text) == ["alert 1"])
    }

    @Test func aGroupTooLongForOneMessageIsSplit() {
        let alerts = (1...30).map {
            OutboxMessage(
                chatID: 7, text: String(repeating: "x", count: 300) + "\($0)", dedupeKey: "alert:\($0):down:1")
        }
        let parts = OutboxGrouping.messages(alerts, header: en.groupHeader(count:), maxLength: 3800)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.text.count <= 3800 })
        #expect(parts.flatMap(\.messages).map(\.dedupeKey) == alerts.map(\.dedupeKey))
    }

    @Test func alertKeysNameMonitorTransitionAndTransitionCounterNeverAClock() {
        let id = ObjectId()
        let key = AlertComposer.dedupeKey(monitorID: id, transition: "down", counter: 7)
        #expect(key == "alert:\(id.hex):down:7")
        #expect(AlertComposer.transition(ofKey: key) == "down")
        #expect(AlertComposer.transition(ofKey: "connectivity:1:lost:5") == nil)
    }
}
