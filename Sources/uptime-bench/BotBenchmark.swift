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
    static let configuration = CommandConfiguration(
        commandName: "bot", abstract: "Bot updates/s and update-to-reply latency (200 users, add-monitor dialog).")

    @Option(help: "MongoDB URI (default: $UPTIMEBOT_TEST_MONGODB_URI).") var mongodbURI: String?
    @Option(help: "Concurrent users.") var users = 200
    @Option(help: "Monitors each user adds (4 updates each).") var rounds = 5
    @Option(
        help:
            "Offered load in updates/s over all users (each user waits for the reply, then for its next slot); 0 = as fast as replies come (saturation)."
    )
    var rate = 0.0
    @Option(
        help:
            "Measurements in a row, each with a fresh database, bot and fake; more than one ends with the spread of p99. Tail latency on a shared 2-core VM moves from one run to the next."
    )
    var runs = 1

    func run() async throws {
        guard let uri = mongodbURI ?? ProcessInfo.processInfo.environment["UPTIMEBOT_TEST_MONGODB_URI"] else {
            throw ValidationError("no MongoDB: pass --mongodb-uri or run scripts/bench.sh bot")
        }
        let mongo = try MongoClient(uri: uri, threads: 16)
        var p99s: [Duration] = []
        for run in 1...max(1, runs) {
            if runs > 1 { print("run \(run) of \(runs):") }
            p99s.append(try await measure(mongo))
        }
        if p99s.count > 1 {
            let sorted = p99s.sorted()
            print(
                "p99 over \(sorted.count) runs: min \(LatencyStats.ms(sorted[0])), median \(LatencyStats.ms(LatencyStats.percentile(0.5, ofSorted: sorted))), "
                    + "max \(LatencyStats.ms(sorted[sorted.count - 1])); \(sorted.filter { $0 <= .milliseconds(20) }.count) of \(sorted.count) runs at or under 20 ms"
            )
        }
        await mongo.shutdown()
    }

    /// One measurement; returns its update-to-reply p99.
    private func measure(_ mongo: MongoClient) async throws -> Duration {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let database = mongo.database("uptimebot_bench_bot")
        try? await database.drop()
        try await SchemaMigrator.standard(database: database, logger: logger).migrate()
        let repositories = Repositories.mongo(database: database, logger: logger)
        for id in 0..<users {
            try await repositories.users.upsert(
                UserRecord(id: Int64(10_000 + id), phone: "7999\(id)", firstName: "u\(id)"))
        }

        let fake = try await FakeBotAPIServer.start()
        let http = try CurlHTTPClient(maxConcurrent: 64, logger: logger.redacting(BotToken(fake.token)))
        let client = TelegramClient(
            configuration: .loopback(token: fake.token, baseURL: fake.baseURL), http: http, logger: logger)
        // Telegram's own limits (30/s) would measure Telegram, not the bot: lifted here.
        let sender = TelegramSender(
            client: client,
            limits: SendRateLimits(
                globalPerSecond: 1e6, globalBurst: 1_000_000, perChatPerSecond: 1e6, perChatBurst: 1_000_000),
            logger: logger)
        let dispatcher = Dispatcher(
            api: sender,
            services: BotServices(
                repositories: repositories,
                settings: BotSettings(signup: .open, maxMonitorsPerUser: 1000, maxAddsPerMinute: 100_000)),
            botID: 123_456_789, logger: logger)
        let poller = LongPoller(client: client, logger: logger)
        let service = BotService(poller: poller, dispatcher: dispatcher, api: sender, logger: logger)
        let botTask = Task { try await service.run() }

        // Replies resume the waiting user; latency runs from queueing the update to the reply call.
        let waiters = ReplyWaiters()
        fake.observeCalls { call in
            guard ["sendMessage", "editMessageText"].contains(call.method), let chat = call.chatID else { return }
            waiters.resume(chat: chat, at: call.receivedAt)
        }

        // With a rate, each user sends one update every `users / rate` seconds, starting staggered.
        let userInterval: Duration? = rate > 0 ? .nanoseconds(Int64(Double(users) / rate * 1e9)) : nil
        let mongod = try await MongodMeter(database: database)
        let mongodBefore = try await mongod.read()
        let pollsBefore = fake.calls(method: "getUpdates").count
        let cpuBefore = CPUTime.now().total
        let started = ContinuousClock.now
        let samples = try await withThrowingTaskGroup(of: [StepSample].self) { group in
            for index in 0..<users {
                let rounds = self.rounds
                let users = self.users
                group.addTask {
                    let user = FakeUser(id: Int64(10_000 + index), firstName: "u\(index)", languageCode: "en")
                    var samples: [StepSample] = []
                    var nextSlot =
                        ContinuousClock.now + (userInterval.map { $0 * Double(index) / Double(users) } ?? .zero)
                    func paced(_ step: Int, _ send: @escaping @Sendable () throws -> Void) async throws {
                        if let userInterval {
                            try await Task.sleep(until: nextSlot)
                            nextSlot += userInterval
                        }
                        let sentAt = ContinuousClock.now
                        samples.append(
                            StepSample(step: step, at: sentAt - started, latency: try await waiters.step(user, send)))
                    }
                    for round in 0..<rounds {
                        try await paced(0) { fake.sendCommand(from: user, "/add") }
                        let menu = fake.lastMessage(in: user.chatID)?.messageID ?? 0
                        try await paced(1) { _ = try fake.pressButton(from: user, callbackData: "mk:icmp", on: menu) }
                        try await paced(2) {
                            fake.sendText(from: user, text: "10.\(index / 250).\(index % 250).\(round + 1)")
                        }
                        try await paced(3) { fake.sendText(from: user, text: "device \(round)") }
                    }
                    return samples
                }
            }
            var all: [StepSample] = []
            for try await s in group { all += s }
            return all
        }
        var stats = LatencyStats()
        for sample in samples { stats.add(sample.latency) }
        let wall = (ContinuousClock.now - started).seconds
        let cpu = (CPUTime.now().total - cpuBefore).seconds
        let mongodAfter = try await mongod.read()
        let polls = fake.calls(method: "getUpdates").count - pollsBefore
        let saved = try await database.collection("monitors").count()
        let updates = Double(stats.count)
        print(
            String(
                format: "updates handled: %d in %.2f s = %.0f updates/s; update→reply %@",
                stats.count, wall, updates / wall, stats.summary))
        var cpuLine = String(
            format: "cpu per update: %.0f µs in this process (bot + fake Bot API + load generator)", cpu / updates * 1e6
        )
        if let before = mongodBefore.cpu, let after = mongodAfter.cpu {
            cpuLine += String(format: ", %.0f µs in mongod", (after - before).seconds / updates * 1e6)
        }
        print(cpuLine)
        print(
            String(
                format:
                    "mongod operations: %.2f per update, checkpoints during the run: %d; getUpdates calls: %d (%.1f updates each)",
                Double(mongodAfter.operations - mongodBefore.operations) / updates,
                mongodAfter.checkpoints - mongodBefore.checkpoints,
                polls, updates / Double(max(polls, 1))))
        print(
            "p99 by step: "
                + StepSample.steps.indices.map { step in
                    "\(StepSample.steps[step]) \(LatencyStats.ms(StepSample.p99(samples.filter { $0.step == step })))"
                }.joined(separator: ", "))
        print(
            "p99 by second of the run: "
                + StepSample.p99PerSecond(samples).map { LatencyStats.ms($0) }.joined(separator: ", "))
        print("monitors saved: \(saved) (expected \(users * rounds))")
        botTask.cancel()
        _ = try? await botTask.value
        await fake.stop()
        try? await database.drop()
        return StepSample.p99(samples)
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
        let repliedAt = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<ContinuousClock.Instant, any Error>) in
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

/// One update of the dialog: which step, when it was sent (from the start of the run), how long the reply took.
struct StepSample: Sendable {
    static let steps = ["/add", "kind button", "target", "name"]
    var step: Int
    var at: Duration
    var latency: Duration

    static func p99(_ samples: [StepSample]) -> Duration {
        LatencyStats.percentile(0.99, ofSorted: samples.map(\.latency).sorted())
    }

    /// p99 of the updates sent in each whole second: a stall shows as one bad second, overload as many.
    static func p99PerSecond(_ samples: [StepSample]) -> [Duration] {
        let bySecond = Dictionary(grouping: samples) { Int($0.at.components.seconds) }
        return bySecond.keys.sorted().map { p99(bySecond[$0] ?? []) }
    }
}
