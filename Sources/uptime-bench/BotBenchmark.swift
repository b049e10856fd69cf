import ArgumentParser
import Bot
import Curl
import FakeTelegramAPI
import Foundation
import Logging
import Mongo
import Storage
import Synchronization
import TelegramAPI

/// `uptime-bench bot`: many users each run the add-monitor dialog (/add, kind button, target, name)
/// against the real dispatcher, the fake Bot API server and a real mongod. Prints updates handled per
/// second and update-to-reply latency (from the update being queued at the fake to the bot's reply).
struct BotBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bot", abstract: "Bot updates/s and update-to-reply latency (200 users, add-monitor dialog).")

    @Option(help: "MongoDB URI (default: $UPTIMEBOT_TEST_MONGODB_URI).") var mongodbURI: String?
    @Option(help: "Concurrent users.") var users = 200
    @Option(help: "Monitors each user adds (4 updates each).") var rounds = 5
    @Option(help: "Offered load in updates/s over all users (each user waits for the reply, then for its next slot); 0 = as fast as replies come (saturation).")
    var rate = 0.0

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        guard let uri = mongodbURI ?? ProcessInfo.processInfo.environment["UPTIMEBOT_TEST_MONGODB_URI"] else {
            throw ValidationError("no MongoDB: pass --mongodb-uri or run scripts/bench.sh bot")
        }
        let mongo = try MongoClient(uri: uri, threads: 16)
        let database = mongo.database("uptimebot_bench_bot")
        try? await database.drop()
        try await SchemaMigrator.standard(database: database, logger: logger).migrate()
        let repositories = Repositories.mongo(database: database, logger: logger)
        for id in 0..<users {
            try await repositories.users.upsert(UserRecord(id: Int64(10_000 + id), phone: "7999\(id)", firstName: "u\(id)"))
        }

        let fake = try await FakeBotAPIServer.start()
        let http = try CurlHTTPClient(maxConcurrent: 64, logger: logger.redacting(BotToken(fake.token)))
        let client = TelegramClient(configuration: .loopback(token: fake.token, baseURL: fake.baseURL), http: http, logger: logger)
        // Telegram's own limits (30/s) would measure Telegram, not the bot: lifted here.
        let sender = TelegramSender(client: client, limits: SendRateLimits(globalPerSecond: 1e6, globalBurst: 1_000_000, perChatPerSecond: 1e6, perChatBurst: 1_000_000), logger: logger)
        let dispatcher = Dispatcher(api: sender, services: BotServices(repositories: repositories, settings: BotSettings(maxMonitorsPerUser: 1000)),
                                    botID: 123456789, logger: logger)
        let poller = LongPoller(client: client, logger: logger)
        let service = BotService(poller: poller, dispatcher: dispatcher, api: sender, logger: logger)
        let botTask = Task { try await service.run() }

        // Replies resume the waiting user; latency runs from queueing the update to the reply call.
        let waiters = ReplyWaiters()
        fake.observeCalls { call in
            guard ["sendMessage", "editMessageText"].contains(call.method), let chat = call.chatID else { return }
            waiters.resume(chat: chat, at: call.receivedAt)
        }

        let mode = rate > 0 ? "offered \(Int(rate)) updates/s" : "saturation (closed loop)"
        print("Bot benchmark: \(users) users × \(rounds) add-monitor dialogs (4 updates each), \(mode), fake Bot API + mongod, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        // With a rate, each user sends one update every `users / rate` seconds, starting staggered.
        let userInterval: Duration? = rate > 0 ? .nanoseconds(Int64(Double(users) / rate * 1e9)) : nil
        let cpuBefore = CPUTime.now().total
        let started = ContinuousClock.now
        let stats = try await withThrowingTaskGroup(of: LatencyStats.self) { group in
            for index in 0..<users {
                let rounds = self.rounds, users = self.users
                group.addTask {
                    let user = FakeUser(id: Int64(10_000 + index), firstName: "u\(index)", languageCode: "en")
                    var stats = LatencyStats()
                    var nextSlot = ContinuousClock.now + (userInterval.map { $0 * Double(index) / Double(users) } ?? .zero)
                    func paced(_ send: @escaping @Sendable () throws -> Void) async throws {
                        if let userInterval {
                            try await Task.sleep(until: nextSlot)
                            nextSlot += userInterval
                        }
                        stats.add(try await waiters.step(user, send))
                    }
                    for round in 0..<rounds {
                        try await paced { fake.sendCommand(from: user, "/add") }
                        let menu = fake.lastMessage(in: user.chatID)?.messageID ?? 0
                        try await paced { _ = try fake.pressButton(from: user, callbackData: "mk:icmp", on: menu) }
                        try await paced { fake.sendText(from: user, text: "10.\(index / 250).\(index % 250).\(round + 1)") }
                        try await paced { fake.sendText(from: user, text: "device \(round)") }
                    }
                    return stats
                }
            }
            var all = LatencyStats()
            for try await s in group { all.merge(s) }
            return all
        }
        let wall = (ContinuousClock.now - started).seconds
        let cpu = (CPUTime.now().total - cpuBefore).seconds
        let saved = try await database.collection("monitors").count()
        print(String(format: "updates handled: %d in %.2f s = %.0f updates/s; update→reply %@; cpu %.2f s (bot + fake server in one process)",
                     stats.count, wall, Double(stats.count) / wall, stats.summary, cpu))
        print("monitors saved: \(saved) (expected \(users * rounds))")
        botTask.cancel()
        _ = try? await botTask.value
        await fake.stop()
        try? await database.drop()
        await mongo.shutdown()
    }
}

/// One waiting user per chat, resumed by the fake's call observer when the bot replies.
final class ReplyWaiters: Sendable {
    private let waiting = Mutex<[Int64: CheckedContinuation<ContinuousClock.Instant, any Error>]>([:])

    func resume(chat: Int64, at instant: ContinuousClock.Instant) {
        waiting.withLock { $0.removeValue(forKey: chat) }?.resume(returning: instant)
    }

    /// Sends one update for `user` and returns the time until the bot's first reply to that chat.
    func step(_ user: FakeUser, _ send: @Sendable () throws -> Void) async throws -> Duration {
        let start = ContinuousClock.now
        let repliedAt = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ContinuousClock.Instant, any Error>) in
            waiting.withLock { $0[user.chatID] = continuation }
            do {
                try send()
            } catch {
                waiting.withLock { $0.removeValue(forKey: user.chatID) }?.resume(throwing: error)
            }
        }
        return repliedAt - start
    }
}
