import Curl
import FakeTelegramAPI
import Logging
import Synchronization
import TelegramAPI
import TestSupport

/// A fake Bot API server plus a libcurl client pointed at it, and every log line they wrote.
struct BotAPITestHarness {
    let fake: FakeBotAPIServer
    let http: CurlHTTPClient
    let logs: LogCapture

    var token: BotToken { BotToken(fake.token) }

    /// Direct to the fake unless a proxy is given: a proxy in the developer's (or CI's)
    /// environment must not carry loopback test traffic. The timeout is generous: a loaded CI
    /// machine answers late, and no test here waits for it to expire.
    func configuration(
        token: String? = nil, telegramProxy: String? = nil, noProxy: String? = "",
        requestTimeout: Duration = .seconds(30)
    ) -> TelegramClientConfiguration {
        var configuration = TelegramClientConfiguration(
            token: BotToken(token ?? fake.token), baseURL: fake.baseURL, telegramProxy: telegramProxy,
            noProxy: noProxy, requestTimeout: requestTimeout)
        if telegramProxy == nil { configuration.proxy = .none }
        return configuration
    }

    /// Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    var unreachableConfiguration: TelegramClientConfiguration {
        var configuration = TelegramClientConfiguration(token: token, baseURL: "http://127.0.0.1:9")
        configuration.proxy = .none
        return configuration
    }

    /// A client on the shared libcurl client, whose logger redacts the fake's token (as wiring must).
    func client(
        token: String? = nil, telegramProxy: String? = nil, noProxy: String? = "",
        requestTimeout: Duration = .seconds(30)
    ) -> TelegramClient {
        TelegramClient(
            configuration: configuration(
                token: token, telegramProxy: telegramProxy, noProxy: noProxy, requestTimeout: requestTimeout),
            http: http, logger: logs.logger("client"))
    }

    func sender(limits: SendRateLimits = .unlimited, retry: RetryPolicy = .fast) -> TelegramSender {
        TelegramSender(client: client(), limits: limits, retry: retry, logger: logs.logger("sender"))
    }

    func poller(timeout: Duration = .seconds(5), backoff: RetryPolicy = .fast) -> LongPoller {
        LongPoller(
            client: client(), configuration: LongPollingConfiguration(timeout: timeout, backoff: backoff),
            logger: logs.logger("poller"))
    }
}

@discardableResult
func withBotAPI<T: Sendable>(_ body: (BotAPITestHarness) async throws -> T) async throws -> T {
    let logs = LogCapture()
    return try await withFakeBotAPIServer { fake in
        let http = try CurlHTTPClient(maxConcurrent: 32, logger: logs.logger("curl").redacting(BotToken(fake.token)))
        defer { http.shutdown() }
        return try await body(BotAPITestHarness(fake: fake, http: http, logs: logs))
    }
}

extension RetryPolicy {
    /// Millisecond backoffs so retry tests take no time.
    static let fast = RetryPolicy(
        maxAttempts: 4, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100), jitter: 0.5)
}

extension FakeUser {
    static let anna = FakeUser(id: 1001, firstName: "Анна", username: "anna")
    static let boris = FakeUser(id: 1002, firstName: "Boris", languageCode: "en")
}
