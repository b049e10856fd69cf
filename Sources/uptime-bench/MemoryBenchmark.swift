import ArgumentParser
import Bot
import Curl
import FakeTelegramAPI
import Foundation
import ICMP
import Logging
import Mongo
import Monitor
import Storage
import TelegramAPI
import TestSupport

/// `uptime-bench memory`: resident memory of the running bot — monitor service, outbox sender and the
/// chat side — with 10,000 monitors over 1,000 users, after a few sweeps of real checks: ICMP to
/// distinct 127.x.y.z addresses, HTTP to a local nginx, alerts to an in-process fake Bot API.
/// Storage: the real mongod when `UPTIMEBOT_TEST_MONGODB_URI` (or --mongodb-uri) is set, else memory.
struct MemoryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Resident memory (VmRSS/VmHWM) of the running monitor and bot with N monitors over M users.")

    @Option(help: "Monitors in all.") var monitors = 10_000
    @Option(help: "Users owning them (monitors are shared out evenly).") var users = 1_000
    @Option(help: "Share of the monitors that are HTTP (fetched from a local nginx); the rest are pinged.")
    var httpShare = 0.1
    @Option(help: "Seconds between two checks of a monitor (CHECK_INTERVAL).") var interval = 15
    @Option(help: "Full sweeps to run before the final reading.") var sweeps = 3
    @Option(help: "Seconds between reloads of the monitors from storage (default: the interval, at most 60).")
    var refresh: Int?
    @Option(help: "MongoDB to use (default: UPTIMEBOT_TEST_MONGODB_URI; without one, storage is in memory).")
    var mongodbURI: String?
    @Flag(help: "Keep storage in memory even when a MongoDB is given.") var memoryStorage = false
    @Option(help: "Threads (and pooled connections) of the MongoDB client.") var mongoThreads = 16
    @Flag(inversion: .prefixedNo, help: "Run the chat side (dispatcher and long polling) too.") var bot = true
    @Option(help: "nginx binary (Debian: nginx-light).") var nginx = "/usr/sbin/nginx"

    @Flag(help: "Leave glibc's allocator at its defaults (uptime-bot run tunes it, see AllocatorTuning).")
    var defaultAllocator = false

    func run() async throws {
        if !defaultAllocator { AllocatorTuning.apply() }
        var logger = Logger(label: "bench.memory")
        logger.logLevel =
            ProcessInfo.processInfo.environment["BENCH_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let start = Self.memory()
        print(
            "Memory benchmark: \(monitors) monitors over \(users) users, \(Int(httpShare * 100))% HTTP, interval \(interval) s, "
                + "\(sweeps) sweeps, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(Self.row("process start", start))

        // HTTP targets: nginx in a process of its own, so its memory is not ours.
        let httpCount = Int(Double(monitors) * min(1, max(0, httpShare)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uptime-bench-memory-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var origin: ServerProcess?
        var originPort = 0
        if httpCount > 0 {
            (origin, originPort) = try await HTTPBenchmark.startOrigin(nginx: nginx, directory: directory)
        }
        defer { origin?.stop() }

        let (repositories, mongo, database) = try await openStorage(logger: logger)
        let (monitors, users, port) = (self.monitors, self.users, originPort)
        let perUser = max(1, monitors / max(1, users))
        for index in 0..<users {
            try await repositories.users.upsert(
                UserRecord(
                    id: Int64(100_000 + index), phone: "7999\(index)", firstName: "u\(index)",
                    language: index % 2 == 0 ? "ru" : "en"))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: monitors, by: 500) {
                group.addTask {
                    for index in chunk..<min(chunk + 500, monitors) {
                        let owner = Int64(100_000 + min(index / perUser, users - 1))
                        let record =
                            index < httpCount
                            ? MonitorRecord(
                                ownerID: owner, kind: .http, target: "http://127.0.0.1:\(port)/check/\(index)",
                                name: "site \(index)")
                            : MonitorRecord(
                                ownerID: owner, kind: .icmp, target: loopbackAddress(index), name: "device \(index)")
                        try await repositories.monitors.create(record)
                    }
                }
            }
            try await group.waitForAll()
        }
        print(Self.row("monitors stored (\(mongo == nil ? "memory" : "mongod"))", Self.memory()))

        let pinger = try ICMPPinger(logger: logger)
        let checks = try CurlHTTPClient(maxConcurrent: 200, logger: logger)
        let telegramHTTP = try CurlHTTPClient(maxConcurrent: 32, logger: logger)
        let fake = try await FakeBotAPIServer.start()
        var telegramConfiguration = TelegramClientConfiguration(token: BotToken(fake.token), baseURL: fake.baseURL)
        telegramConfiguration.proxy = .none
        let client = TelegramClient(configuration: telegramConfiguration, http: telegramHTTP, logger: logger)
        let sender = TelegramSender(client: client, logger: logger)
        print(Self.row("clients, pinger, fake Bot API up", Self.memory()))

        // The short interval needs a faster ping pace than production's 1000/s to keep up (twice the minimum).
        let pace = max(1000, 2 * 3 * monitors / max(1, interval))
        let configuration = MonitorConfiguration(
            checkInterval: interval, pingPacketsPerSecond: pace, checkProxy: .none,
            refreshInterval: refresh.map { .seconds($0) })
        let service = MonitorService(
            parts: .assemble(
                repositories: repositories, pinger: pinger, http: checks, resolver: HostResolver(),
                configuration: configuration, logger: logger),
            logger: logger)
        let outbox = OutboxSender(repositories: repositories, api: sender, logger: logger)
        var tasks = [Task { try await service.run() }, Task { try await outbox.run() }]
        if bot {
            let dispatcher = Dispatcher(
                api: sender,
                dependencies: HandlerDependencies(repositories: repositories, settings: BotSettings(signup: .open)),
                botID: Int64(fake.token.prefix(while: \.isNumber)) ?? 1, logger: logger)
            let botService = BotService(
                poller: LongPoller(client: client, logger: logger), dispatcher: dispatcher, inbox: repositories.inbox,
                api: sender,
                logger: logger)
            tasks.append(Task { try await botService.run() })
        }

        let cpuStart = CPUTime.now().total
        var reading = Self.memory()
        for sweep in 1...max(1, sweeps) {
            try await Task.sleep(for: .seconds(interval))
            reading = Self.memory()
            print(Self.row("after sweep \(sweep)", reading))
            fake.clearCalls()  // the fake's call log is test equipment, not the bot's memory
        }
        // Counted after the last reading: loading every monitor is the benchmark's memory, not the bot's.
        let checked = try await Self.checkedMonitors(repositories)
        print("monitors checked: \(checked.checked) of \(monitors), \(checked.ok) up")
        let cpu = CPUTime.now().total - cpuStart
        print(
            String(
                format: "CPU over the sweeps: %.2f s (%.1f%% of one core)", cpu.seconds,
                cpu.seconds / Double(interval * max(1, sweeps)) * 100))
        print(String(format: "RESULT  VmRSS %.1f MB, VmHWM %.1f MB (goal ≤ 64 MB)", reading.rss, reading.hwm))

        for task in tasks { task.cancel() }
        for task in tasks { _ = await task.result }
        pinger.shutdown()
        checks.shutdown()
        telegramHTTP.shutdown()
        await fake.stop()
        if let database { try? await database.drop() }
        await mongo?.shutdown()
    }

    private func openStorage(logger: Logger) async throws -> (Repositories, MongoClient?, MongoDatabase?) {
        guard !memoryStorage, let uri = mongodbURI ?? ProcessInfo.processInfo.environment["UPTIMEBOT_TEST_MONGODB_URI"]
        else {
            return (.inMemory(), nil, nil)
        }
        let mongo = try MongoClient(uri: uri, threads: mongoThreads)
        let database = mongo.database("uptimebot_bench_memory_\(getpid())")
        try? await database.drop()
        try await SchemaMigrator.standard(database: database, logger: logger).migrate()
        return (.mongo(database: database, logger: logger), mongo, database)
    }

    /// Monitors checked at least once, and of those the ones up.
    static func checkedMonitors(_ repositories: Repositories) async throws -> (checked: Int, ok: Int) {
        var all: [MonitorRecord] = []
        while true {
            let page = try await repositories.monitors.listEnabled(after: all.last?.id, limit: 1000)
            all += page
            if page.count < 1000 { break }
        }
        return (all.filter { $0.lastCheck != nil }.count, all.filter { $0.lastCheck?.ok == true }.count)
    }

    struct Memory {
        /// Megabytes resident now, and at the peak.
        var rss: Double
        var hwm: Double
        /// Of `rss`: private memory, and pages of mapped files (the binary and shared libraries).
        var anonymous: Double
        var files: Double
    }

    /// VmRSS and VmHWM from /proc/self/status.
    static func memory() -> Memory {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func megabytes(_ key: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }),
                let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({
                    Double($0)
                })
            else { return 0 }
            return kb / 1024
        }
        return Memory(
            rss: megabytes("VmRSS"), hwm: megabytes("VmHWM"), anonymous: megabytes("RssAnon"),
            files: megabytes("RssFile"))
    }

    static func row(_ label: String, _ memory: Memory) -> String {
        String(
            format: "  %@  VmRSS %6.1f MB   VmHWM %6.1f MB   (anon %5.1f, files %5.1f)",
            label.padding(toLength: 52, withPad: " ", startingAt: 0),
            memory.rss, memory.hwm, memory.anonymous, memory.files)
    }
}
