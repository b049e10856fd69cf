import Curl
import FakeTelegramAPI
import Foundation
import ICMP
import Logging
import Mongo
import ServiceLifecycle
import Storage
import TelegramAPI
import TestSupport
import Testing

@testable import Monitor

/// Raw ICMP sockets and network namespaces need root: outside CI such tests skip with this reason,
/// in CI they run and fail when root is missing (never a silent skip there).
let rootOrCI = TestEnvironment.isRoot || TestEnvironment.isCI
let rootReason: Comment = "needs root: raw ICMP sockets and network namespaces (run as root, or in CI)"

let testLogger: Logger = {
    var logger = Logger(label: "test.monitor")
    logger.logLevel =
        ProcessInfo.processInfo.environment["MONITOR_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}()

func makePinger() throws -> ICMPPinger {
    try ICMPPinger(logger: testLogger)
}

/// Seconds instead of minutes: 1-second intervals, quick flushes and reloads, no grouping delay.
func fastConfiguration(
    interval: Int = 1, failures: Int = 2, successes: Int = 2,
    refresh: Duration = .milliseconds(500),
    canaries: [String] = [], admins: [Int64] = [], checkTimeout: Duration = .seconds(3)
) -> MonitorConfiguration {
    MonitorConfiguration(
        checkInterval: interval, failuresBeforeAlert: failures, successesBeforeRecovery: successes, pingProbes: 1,
        // Loopback and veth answer in microseconds: the timeout only matters when the machine is busy.
        pingSpacing: .milliseconds(100), pingTimeout: .milliseconds(1500), checkTimeout: checkTimeout,
        checkConcurrency: 50,
        checkProxy: .none, canaryTargets: canaries, adminIDs: admins,
        refreshInterval: refresh,
        flushInterval: .milliseconds(200), canaryRecheckInterval: .milliseconds(500))
}

let fastOutbox = OutboxSenderConfiguration(
    pollInterval: .milliseconds(100), retryDelay: .milliseconds(200), maxRetryDelay: .seconds(1),
    groupingWindow: .zero)

/// Polls `condition` until it holds; fails the test with `message` at the timeout.
func eventually(
    _ message: @autoclosure () -> String, timeout: Duration = .seconds(30), poll: Duration = .milliseconds(100),
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: poll)
    }
    if try await condition() { return }
    Issue.record("timed out after \(timeout): \(message())", sourceLocation: sourceLocation)
    throw TimedOut()
}

struct TimedOut: Error {}

/// A service running in a service group of its own, as `uptime-bot run` runs it; `stop()` is the
/// graceful shutdown SIGTERM triggers, awaited to the end.
final class RunningService: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    init(_ service: any Service) {
        let group = ServiceGroup(services: [service], logger: testLogger)
        self.group = group
        task = Task { try? await group.run() }
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}

/// A monitor service and an outbox sender on `repositories`, delivering to a fake Bot API.
struct MonitorHarness {
    let repositories: Repositories
    let fake: FakeBotAPIServer
    let http: CurlHTTPClient
    let pinger: ICMPPinger?

    /// The sender: rate limits off, and no retries of its own so the outbox's retries are what is tested.
    func api(retry: RetryPolicy = .never) -> TelegramSender {
        var configuration = TelegramClientConfiguration(
            token: BotToken(fake.token), baseURL: fake.baseURL, requestTimeout: .seconds(5))
        configuration.proxy = .none
        let client = TelegramClient(configuration: configuration, http: http, logger: testLogger)
        return TelegramSender(client: client, limits: .unlimited, retry: retry, logger: testLogger)
    }

    func startMonitor(_ configuration: MonitorConfiguration) -> RunningService {
        RunningService(
            MonitorService(
                repositories: repositories, pinger: pinger, http: http, configuration: configuration, logger: testLogger
            ))
    }

    func startSender(_ configuration: OutboxSenderConfiguration = fastOutbox) -> RunningService {
        RunningService(
            OutboxSender(repositories: repositories, api: api(), configuration: configuration, logger: testLogger))
    }

    /// The bot's messages to a chat so far, as the user reads them.
    func texts(in chat: Int64) -> [String] { fake.messages(in: chat).map(\.text) }
}

/// Runs `body` with a fake Bot API, a libcurl client and (when allowed) a pinger.
func withHarness<T: Sendable>(
    repositories: Repositories = .inMemory(), needsPinger: Bool = false,
    _ body: (MonitorHarness) async throws -> T
) async throws -> T {
    let pinger = needsPinger ? try makePinger() : nil
    defer { pinger?.shutdown() }
    let http = try CurlHTTPClient(maxConcurrent: 64, logger: testLogger)
    defer { http.shutdown() }
    return try await withFakeBotAPIServer { fake in
        try await body(MonitorHarness(repositories: repositories, fake: fake, http: http, pinger: pinger))
    }
}

/// A migrated database of the real mongod (indexes matter: the outbox's dedupe key is unique).
func withMigratedDatabase<T>(_ body: (MongoDatabase, Repositories) async throws -> T) async throws -> T {
    try await TestMongo.withDatabase { database in
        try await SchemaMigrator.standard(database: database, logger: testLogger).migrate()
        return try await body(database, .mongo(database: database, logger: testLogger))
    }
}

func user(_ id: Int64, language: String = "ru", settings: UserSettings = UserSettings()) -> UserRecord {
    UserRecord(id: id, phone: "7999\(id)", firstName: "Owner \(id)", language: language, settings: settings)
}

extension MonitorService {
    /// The engine as `uptime-bot run` assembles it (`MonitorParts.assemble`), with a resolver of its own.
    init(
        repositories: Repositories, pinger: ICMPPinger?, http: CurlHTTPClient,
        configuration: MonitorConfiguration = MonitorConfiguration(), wallClock: any WallClock = SystemWallClock(),
        changes: MonitorChangeFeed? = nil, logger: Logger
    ) {
        self.init(
            parts: .assemble(
                repositories: repositories, pinger: pinger, http: http, resolver: HostResolver(),
                configuration: configuration, logger: logger),
            wallClock: wallClock, changes: changes, logger: logger)
    }
}
