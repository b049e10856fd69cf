import BSON
import Bot
import Curl
import FSM
import FakeTelegramAPI
import Foundation
import Logging
import Mongo
import Storage
import TelegramAPI
import TestSupport

/// A running bot wired to the fake Bot API server and a real MongoDB database, as `uptime-bot run` wires it.
final class BotHarness: @unchecked Sendable {
    // `task` and `settings` are replaced only by start/stop, which tests call one at a time.
    let fake: FakeBotAPIServer
    let database: MongoDatabase
    let repositories: Repositories
    private(set) var settings: BotSettings
    let http: CurlHTTPClient
    let targetVetting: TargetVetting?
    private var task: Task<Void, any Error>?
    private var dispatcher: Dispatcher?

    init(
        fake: FakeBotAPIServer, database: MongoDatabase, settings: BotSettings = BotSettings(),
        targetVetting: TargetVetting? = nil
    ) throws {
        self.fake = fake
        self.targetVetting = targetVetting
        self.database = database
        self.repositories = .mongo(database: database, logger: TestMongo.logger)
        self.settings = settings
        self.http = try CurlHTTPClient(maxConcurrent: 64, logger: TestMongo.logger.redacting(BotToken(fake.token)))
    }

    /// Starts polling; like a process start, everything but the database is new.
    func start(settings: BotSettings? = nil) {
        if let settings { self.settings = settings }
        let client = TelegramClient(
            configuration: .loopback(token: fake.token, baseURL: fake.baseURL),
            http: http, logger: TestMongo.logger)
        let sender = TelegramSender(
            client: client,
            limits: SendRateLimits(
                globalPerSecond: 10_000, globalBurst: 10_000, perChatPerSecond: 1_000, perChatBurst: 1_000),
            retry: RetryPolicy(maxAttempts: 6, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(200)),
            logger: TestMongo.logger)
        let dispatcher = Dispatcher(
            api: sender,
            services: BotServices(repositories: repositories, settings: self.settings, targetVetting: targetVetting),
            botID: 123_456_789, logger: TestMongo.logger)
        let poller = LongPoller(
            client: client, configuration: LongPollingConfiguration(timeout: .seconds(1)), logger: TestMongo.logger)
        let service = BotService(poller: poller, dispatcher: dispatcher, api: sender, logger: TestMongo.logger)
        self.dispatcher = dispatcher
        task = Task { try await service.run() }
    }

    /// A Bot API client for an outbox sender: no limits, no retries of its own.
    func outboxAPI() -> TelegramSender {
        let client = TelegramClient(
            configuration: .loopback(token: fake.token, baseURL: fake.baseURL), http: http, logger: TestMongo.logger)
        return TelegramSender(client: client, limits: .unlimited, retry: .never, logger: TestMongo.logger)
    }

    /// Stops polling and waits until queued updates are handled, as on SIGTERM.
    func stop() async {
        task?.cancel()
        _ = try? await task?.value
        task = nil
    }

    /// Runs `body` with a started bot on a fresh database; stops everything afterwards.
    static func run(
        settings: BotSettings = BotSettings(), targetVetting: TargetVetting? = nil,
        _ body: (BotHarness) async throws -> Void
    ) async throws {
        try await TestMongo.withDatabase { db in
            try await SchemaMigrator.standard(database: db, logger: TestMongo.logger).migrate()
            try await withFakeBotAPIServer { fake in
                let harness = try BotHarness(fake: fake, database: db, settings: settings, targetVetting: targetVetting)
                harness.start()
                do {
                    try await body(harness)
                } catch {
                    await harness.stop()
                    throw error
                }
                await harness.stop()
            }
        }
    }

    // MARK: Scripting users

    /// Sends `text` (or a command when it starts with "/") and waits until the bot has handled it.
    /// Returns the bot messages sent in reply.
    @discardableResult
    func say(_ user: FakeUser, _ text: String) async throws -> [FakeMessage] {
        let before = fake.history(of: user.chatID).filter(\.fromBot).count
        let scripted = text.hasPrefix("/") ? fake.sendCommand(from: user, text) : fake.sendText(from: user, text: text)
        try await handled(scripted)
        return Array(fake.history(of: user.chatID).filter(\.fromBot).dropFirst(before))
    }

    /// Waits until the poller accepted the update and the dispatcher finished it.
    func handled(_ scripted: ScriptedUpdate) async throws { try await handled(updateID: scripted.updateID) }

    func handled(updateID: Int64) async throws {
        try await fake.waitUntilConfirmed(updateID: updateID, timeout: .seconds(30))
        await dispatcher?.drain()
    }

    /// Presses the button labelled `label` on the bot's last message with such a button; waits for an edit or a reply.
    func press(_ user: FakeUser, _ label: String) async throws {
        guard
            let message = fake.history(of: user.chatID).last(where: { $0.fromBot && $0.button(labelled: label) != nil })
        else {
            throw HarnessError(
                "no message with a button labelled \(label); last: \(fake.lastMessage(in: user.chatID)?.text ?? "-")")
        }
        try await pressData(user, message.button(labelled: label)?.callbackData ?? "", on: message.messageID)
    }

    /// Presses a button by its callback data (possibly forged) and waits until the bot answered the query.
    func pressData(_ user: FakeUser, _ data: String, on messageID: Int) async throws {
        try await handled(fake.sendCallbackQuery(from: user, data: data, on: messageID))
    }

    func signIn(_ user: FakeUser, phone: String = "+7 999 000-11-22") async throws {
        try await say(user, "/start")
        try await handled(fake.shareContact(from: user, phone: phone))
    }

    func fsmState(_ user: FakeUser) async throws -> String? {
        try await repositories.fsm.getState(for: StorageKey(botID: 123_456_789, chatID: user.chatID, userID: user.id))
    }

    func lastText(_ user: FakeUser) -> String { fake.lastMessage(in: user.chatID)?.text ?? "" }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
