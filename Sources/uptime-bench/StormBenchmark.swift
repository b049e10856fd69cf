import ArgumentParser
import BSON
import Bot
import Curl
import FakeTelegramAPI
import Foundation
import ICMP
import Logging
import Mongo
import Monitor
import Storage
import Synchronization
import TelegramAPI
import TestSupport

/// `uptime-bench storm`: every owner's monitor goes down at once (HTTP to a closed loopback port)
/// under Telegram's default limits (30/s, 1/s a chat), through the real scheduler, outbox, sender,
/// fake Bot API and a real mongod, while one more user walks the add-monitor dialog. Prints the reply
/// p99 (goal ≤ 1.5 s), whether every alert arrived exactly once, and the times. Then the lone case:
/// owners with one failing monitor each, from the failure that crosses the threshold to sendMessage
/// (goal: median ≤ 5 s).
struct StormBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storm",
        abstract: "Mass outage: alert delivery and reply latency under Telegram's limits; lone-alert latency.")

    @Option(help: "MongoDB URI (default: $UPTIMEBOT_TEST_MONGODB_URI).") var mongodbURI: String?
    @Option(help: "Owners whose monitor goes down at once.") var owners = 1000
    @Option(help: "Lone failing monitors measured (one owner each); 0 = skip.") var lone = 20

    func run() async throws {
        guard let uri = mongodbURI ?? ProcessInfo.processInfo.environment["UPTIMEBOT_TEST_MONGODB_URI"] else {
            throw ValidationError("no MongoDB: pass --mongodb-uri or run scripts/bench.sh storm")
        }
        let mongo = try MongoClient(uri: uri, threads: 16)
        if owners > 0 { try await storm(mongo) }
        if lone > 0 { try await loneAlerts(mongo) }
        await mongo.shutdown()
    }

    private func storm(_ mongo: MongoClient) async throws {
        let walker = FakeUser(id: 19_999, firstName: "walker", languageCode: "en")
        let stack = try await StormStack.start(
            mongo, database: "uptimebot_bench_storm", owners: owners, firstOwner: 20_000,
            failuresBeforeAlert: 1, extraUsers: [walker.id])
        let started = Date()
        let waiters = ReplyWaiters()
        stack.onCall { call in
            if call.chatID == walker.chatID { waiters.resume(chat: walker.chatID, at: call.receivedAt) }
        }
        let walkerDone = Mutex(false)
        let walking = Task {
            var latencies = LatencyStats()
            var round = 0
            while !walkerDone.withLock({ $0 }) {
                func step(_ send: @escaping @Sendable () throws -> Void) async throws {
                    latencies.add(try await waiters.step(walker, send))
                    try await Task.sleep(for: .seconds(1))  // a person reads before the next step
                }
                try await step { stack.fake.sendCommand(from: walker, "/add") }
                let menu = stack.fake.lastMessage(in: walker.chatID)?.messageID ?? 0
                try await step { _ = try stack.fake.pressButton(from: walker, callbackData: "mk:icmp", on: menu) }
                let target = "10.99.\(round / 250).\(round % 250 + 1)"
                let name = "walker \(round)"
                try await step { stack.fake.sendText(from: walker, text: target) }
                try await step { stack.fake.sendText(from: walker, text: name) }
                round += 1
            }
            return latencies
        }
        let deadline = Date().addingTimeInterval(300)
        while stack.alertedOwners() < owners, Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        try await Task.sleep(for: .seconds(5))  // a duplicate would arrive by now
        walkerDone.withLock { $0 = true }
        let replies = try await walking.value
        let deliveries = try await stack.deliveries()
        let counts = Dictionary(grouping: deliveries, by: \.chat).mapValues(\.count)
        let once = counts.values.filter { $0 == 1 }.count
        let times = deliveries.map { $0.at.timeIntervalSince(started) }.sorted()
        let sinceDown = LatencyStats(deliveries.compactMap(\.sinceDown))
        print("storm: \(owners) owners' monitors down at once; Telegram limits 30/s overall, 1/s a chat")
        print(
            "alerts: \(deliveries.count) sendMessage calls to \(counts.count) of \(owners) owners; exactly once: \(once) of \(owners)"
                + (once == owners && deliveries.count == owners ? " (all)" : " (NOT all)"))
        if let first = times.first, let last = times.last {
            print(
                String(
                    format: "times from start: first alert %.1f s, last %.1f s; %.1f alerts/s", first, last,
                    Double(times.count) / max(0.001, last - first)))
        }
        print("alert after the monitor went down: \(sinceDown.summary)")
        print("dialog replies during the storm (\(replies.count)): \(replies.summary) (goal p99 ≤ 1.5 s)")
        await stack.stop()
    }

    private func loneAlerts(_ mongo: MongoClient) async throws {
        let stack = try await StormStack.start(
            mongo, database: "uptimebot_bench_lone", owners: lone, firstOwner: 40_000, failuresBeforeAlert: 3,
            extraUsers: [])
        let deadline = Date().addingTimeInterval(120)
        while stack.alertedOwners() < lone, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let latencies = try await stack.deliveries().compactMap(\.sinceDown).sorted()
        let median = LatencyStats.percentile(0.5, ofSorted: latencies)
        print(
            "lone alerts: \(latencies.count) of \(lone) owners with one failing monitor (3 failures, 5 s interval); "
                + "threshold-crossing failure → sendMessage: median \(LatencyStats.ms(median)), max \(LatencyStats.ms(latencies.last ?? .zero)) (goal median ≤ 5 s)"
        )
        await stack.stop()
    }
}

extension LatencyStats {
    init(_ samples: [Duration]) {
        self.init()
        for sample in samples { add(sample) }
    }
}

/// The bot as `uptime-bot run` wires it (dispatcher, scheduler, outbox through `bulkSender`, one
/// rate limiter at Telegram's defaults) on a fresh database, with `owners` owners of one monitor each,
/// up until now and pointing at a loopback port nobody listens on.
final class StormStack: Sendable {
    struct Delivery: Sendable {
        var chat: Int64
        var at: Date
        /// From the failure that crossed the threshold (the monitor's `status_since`) to the call;
        /// filled in by `deliveries()`.
        var sinceDown: Duration?
    }

    let fake: FakeBotAPIServer
    let database: MongoDatabase
    private let tasks: [Task<Void, any Error>]
    private let http: CurlHTTPClient
    private let checksHTTP: CurlHTTPClient
    private let delivered = Mutex<[Delivery]>([])
    private let observer = Mutex<(@Sendable (RecordedCall) -> Void)?>(nil)

    private init(
        fake: FakeBotAPIServer, database: MongoDatabase, tasks: [Task<Void, any Error>], http: CurlHTTPClient,
        checksHTTP: CurlHTTPClient
    ) {
        self.fake = fake
        self.database = database
        self.tasks = tasks
        self.http = http
        self.checksHTTP = checksHTTP
    }

    static func start(
        _ mongo: MongoClient, database name: String, owners: Int, firstOwner: Int64, failuresBeforeAlert: Int,
        extraUsers: [Int64]
    ) async throws -> StormStack {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let database = mongo.database(name)
        try? await database.drop()
        try await SchemaMigrator.standard(database: database, logger: logger).migrate()
        let repositories = Repositories.mongo(database: database, logger: logger)
        let closed = try ServerProcess.freeLoopbackPort()
        let upSince = Date().addingTimeInterval(-3600)
        for index in 0..<owners {
            let owner = firstOwner + Int64(index)
            try await repositories.users.upsert(UserRecord(id: owner, phone: "7998\(owner)", firstName: "o\(index)"))
            try await repositories.monitors.create(
                MonitorRecord(
                    ownerID: owner, kind: .http, target: "http://127.0.0.1:\(closed)/owner/\(index)",
                    name: "site \(index)", status: .up, statusSince: upSince))
        }
        for id in extraUsers {
            try await repositories.users.upsert(UserRecord(id: id, phone: "7997\(id)", firstName: "u\(id)"))
        }
        let fake = try await FakeBotAPIServer.start()
        let http = try CurlHTTPClient(maxConcurrent: 64, logger: logger.redacting(BotToken(fake.token)))
        let checksHTTP = try CurlHTTPClient(maxConcurrent: 200, logger: logger)
        let client = TelegramClient(
            configuration: .loopback(token: fake.token, baseURL: fake.baseURL), http: http, logger: logger)
        let sender = TelegramSender(client: client, limits: .telegramDefaults, logger: logger)
        let dispatcher = Dispatcher(
            api: sender,
            dependencies: HandlerDependencies(
                repositories: repositories,
                settings: BotSettings(signup: .open, maxMonitorsPerUser: 100_000, maxAddsPerMinute: 100_000)),
            botID: 123_456_789, logger: logger)
        let bot = BotService(
            poller: LongPoller(client: client, logger: logger), dispatcher: dispatcher, inbox: repositories.inbox,
            api: sender, logger: logger)
        let monitor = MonitorService(
            parts: .assemble(
                repositories: repositories, pinger: nil, http: checksHTTP, resolver: HostResolver(),
                configuration: MonitorConfiguration(
                    checkInterval: 5, failuresBeforeAlert: failuresBeforeAlert, checkTimeout: .seconds(2),
                    checkProxy: .none),
                logger: logger),
            logger: logger)
        let outbox = OutboxSender(repositories: repositories, api: sender.bulkSender(), logger: logger)
        let tasks: [Task<Void, any Error>] = [
            Task { try await bot.run() }, Task { try await monitor.run() }, Task { try await outbox.run() },
        ]
        let stack = StormStack(
            fake: fake, database: database, tasks: tasks, http: http, checksHTTP: checksHTTP)
        let owned = firstOwner..<(firstOwner + Int64(owners))
        fake.observeCalls { [stack] call in
            stack.observer.withLock { $0 }?(call)
            guard call.method == "sendMessage", call.status == 200, let chat = call.chatID, owned.contains(chat)
            else { return }
            let now = Date()
            stack.delivered.withLock {
                $0.append(Delivery(chat: chat, at: now, sinceDown: nil))
            }
        }
        return stack
    }

    func onCall(_ observer: @escaping @Sendable (RecordedCall) -> Void) { self.observer.withLock { $0 = observer } }

    func alertedOwners() -> Int { Set(delivered.withLock { $0 }.map(\.chat)).count }

    /// Deliveries so far, each with the time from its monitor's `status_since` (the failure that
    /// crossed the threshold) to the sendMessage call.
    func deliveries() async throws -> [Delivery] {
        let monitors = try await database.collection("monitors").find(["status": "down"])
        var since: [Int64: Date] = [:]
        for monitor in monitors {
            if let owner = monitor["owner_id"]?.intValue, let at = monitor["status_since"]?.dateValue {
                since[Int64(owner)] = at
            }
        }
        return delivered.withLock { list in
            for index in list.indices {
                if let at = since[list[index].chat] {
                    list[index].sinceDown = .seconds(list[index].at.timeIntervalSince(at))
                }
            }
            return list
        }
    }

    func stop() async {
        for task in tasks { task.cancel() }
        for task in tasks { _ = try? await task.value }
        await fake.stop()
        http.shutdown()
        checksHTTP.shutdown()
        try? await database.drop()
    }
}
