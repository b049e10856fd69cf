import BSON
import Bot
import FakeTelegramAPI
import Foundation
import HumanFormatting
import ICMP
import Monitor
import Storage
import Synchronization
import TelegramAPI
import TestSupport

/// A time of day the test moves on by hours (reminders, the end of a maintenance window) instead of
/// sleeping: the monitor reads it, its schedule stays monotonic.
final class SteppingClock: WallClock {
    private let offset = Mutex<TimeInterval>(0)
    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func step(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

/// Sites on loopback the test switches off and on: a fake Bot API server whose `getMe` answers 200,
/// or 503 while switched off. Monitors get one URL each (a query tells them apart).
struct SwitchedSites {
    let server: FakeBotAPIServer

    static func start() async throws -> SwitchedSites { SwitchedSites(server: try await FakeBotAPIServer.start()) }

    func url(_ name: String) -> String { "\(server.baseURL)/bot\(server.token)/getMe?site=\(name)" }
    func off() { server.failNext(method: "getMe", count: 1_000_000, with: .serverError(status: 503)) }
    func on() { server.clearFailures(method: "getMe") }
    func stop() async { await server.stop() }
}

/// The chat, the monitor and the outbox together on the real mongod: what an owner lives through.
final class AlertChat: @unchecked Sendable {
    // `monitoring` is replaced only by restartMonitor, which a test calls from its one task.
    let bot: BotHarness
    let clock: SteppingClock
    let sites: SwitchedSites
    let configuration: MonitorConfiguration
    private var monitoring: Task<Void, any Error>?

    init(bot: BotHarness, clock: SteppingClock, sites: SwitchedSites, configuration: MonitorConfiguration) {
        self.bot = bot
        self.clock = clock
        self.sites = sites
        self.configuration = configuration
    }

    /// Fast checks (1 s), 2 failures to go down, 2 successes to recover, reloads every half second.
    static func configuration(zone: String?) -> MonitorConfiguration {
        var configuration = MonitorConfiguration(
            checkInterval: 1, minCheckInterval: 1, failuresBeforeAlert: 2, successesBeforeRecovery: 2, pingProbes: 1,
            checkTimeout: .seconds(3), checkConcurrency: 50, checkProxy: .none, refreshInterval: .milliseconds(500),
            flushInterval: .milliseconds(200))
        if let zone { configuration.timeZone = ChatTimeZone(named: zone) ?? .utc }
        return configuration
    }

    static func run(zone: String? = nil, _ body: (AlertChat) async throws -> Void) async throws {
        var settings = BotSettings(signup: .open, minCheckInterval: 1)
        if let zone { settings.timeZone = ChatTimeZone(named: zone) ?? .utc }
        try await BotHarness.run(settings: settings) { bot in
            let chat = AlertChat(
                bot: bot, clock: SteppingClock(), sites: try await SwitchedSites.start(),
                configuration: configuration(zone: zone))
            chat.startMonitor()
            let sending = startOutbox(
                bot,
                OutboxSenderConfiguration(
                    pollInterval: .milliseconds(100), retryDelay: .milliseconds(200), maxRetryDelay: .seconds(1),
                    groupingWindow: .zero), wallClock: chat.clock)
            do {
                try await body(chat)
            } catch {
                sending.cancel()
                await chat.stopMonitor()
                await chat.sites.stop()
                throw error
            }
            sending.cancel()
            await chat.stopMonitor()
            await chat.sites.stop()
        }
    }

    func startMonitor() {
        let monitor = MonitorService(
            parts: .assemble(
                repositories: bot.repositories, pinger: nil, http: bot.http, resolver: HostResolver(),
                configuration: configuration, logger: TestMongo.logger),
            wallClock: clock, logger: TestMongo.logger)
        monitoring = Task { try await monitor.run() }
    }

    func stopMonitor() async {
        monitoring?.cancel()
        _ = try? await monitoring?.value
        monitoring = nil
    }

    /// A new monitor process on the same database: everything it knows comes from MongoDB.
    func restartMonitor() async {
        await stopMonitor()
        startMonitor()
    }

    /// A site monitor of `owner`, checked from now on.
    func site(
        _ owner: FakeUser, _ name: String, on sites: SwitchedSites? = nil, dependsOn parent: MonitorRecord? = nil
    ) async throws -> MonitorRecord {
        let monitor = MonitorRecord(
            ownerID: owner.id, kind: .http, target: (sites ?? self.sites).url(name), name: name, dependsOn: parent?.id)
        try await bot.repositories.monitors.create(monitor)
        return monitor
    }

    func status(_ monitor: MonitorRecord) async throws -> MonitorStatus? {
        try await bot.repositories.monitors.get(monitor.id)?.status
    }

    func waitUntil(_ monitor: MonitorRecord, is status: MonitorStatus) async throws {
        try await waitFor("\(monitor.name) is \(status)") { try await self.status(monitor) == status }
    }

    /// Waits until `monitor` was checked `seconds` after now on the test's clock: the checks and reloads in
    /// between have run (how a test sees that something did not happen).
    func waitForChecks(of monitor: MonitorRecord, seconds: TimeInterval = 2) async throws {
        let after = clock.now().addingTimeInterval(seconds)
        try await waitFor("\(monitor.name) is checked on") {
            try await self.bot.repositories.monitors.get(monitor.id)?.lastCheck.map { $0.at >= after } ?? false
        }
        try await outboxSettled()
    }

    /// The bot's messages to the owner that contain `text`.
    func messages(_ owner: FakeUser, containing text: String) -> [FakeMessage] {
        bot.fake.messages(in: owner.chatID).filter { $0.text.contains(text) }
    }

    /// Waits until nothing is pending in the outbox (what was written has reached Telegram).
    func outboxSettled() async throws {
        try await waitFor("the outbox is delivered") { try await bot.repositories.outbox.pendingCount() == 0 }
    }
}
