import FakeTelegramAPI
import MetricNames
import Metrics
import Synchronization
import TelegramAPI
import Testing

/// Operators see Bot API trouble in Prometheus: calls, failures by kind, and the retries they caused.
struct BotAPIMetricsTests {
    @Test func callsErrorsAndRetriesAreCountedByMethodAndKind() async throws {
        try await withBotAPI { api in
            let counters = CountingMetrics()
            let client = TelegramClient(
                configuration: api.configuration(), http: api.http, logger: api.logs.logger("client"),
                metrics: TelegramMetrics(factory: counters))
            let sender = TelegramSender(
                client: client, limits: .unlimited, retry: .fast, logger: api.logs.logger("sender"))
            api.fake.failNext(method: "sendMessage", count: 2, with: .serverError(status: 502))
            try await sender.sendMessage(chatID: 5, text: "after two failures")
            api.fake.block(by: FakeUser(id: 6))
            await #expect(throws: TelegramError.self) { try await sender.sendMessage(chatID: 6, text: "blocked") }
            #expect(counters.value(MetricName.botAPICalls, ["method": "sendMessage"]) == 4)
            #expect(counters.value(MetricName.botAPIErrors, ["method": "sendMessage", "kind": "server"]) == 2)
            #expect(counters.value(MetricName.botAPIErrors, ["method": "sendMessage", "kind": "forbidden"]) == 1)
            #expect(counters.value(MetricName.botAPIRetries, ["method": "sendMessage", "reason": "server"]) == 2)
        }
    }
}

/// Counters in memory; the other metric kinds are not used by the Bot API.
final class CountingMetrics: MetricsFactory, Sendable {
    private let counts = Mutex<[String: Int64]>([:])

    func value(_ label: String, _ dimensions: [String: String]) -> Int64 {
        counts.withLock { $0[Self.key(label, dimensions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })] ?? 0 }
    }

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        label + "{" + dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Handler(key: Self.key(label, dimensions), counts: self)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        NOOPMetricsHandler.instance
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        NOOPMetricsHandler.instance
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    fileprivate func add(_ amount: Int64, to key: String) {
        counts.withLock { $0[key, default: 0] += amount }
    }

    private final class Handler: CounterHandler, Sendable {
        let key: String
        let counts: CountingMetrics
        init(key: String, counts: CountingMetrics) {
            self.key = key
            self.counts = counts
        }
        func increment(by amount: Int64) { counts.add(amount, to: key) }
        func reset() {}
    }
}
