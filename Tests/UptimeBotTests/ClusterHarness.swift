import BSON
import Cluster
import FakeTelegramAPI
import Foundation
import Mongo
import Storage
import TestSupport

/// Real `uptime-bot` processes as members of one cluster on a test replica set, their logs in files.
final class ClusterHarness: @unchecked Sendable {
    // Mutated only by the test that owns it, one call at a time.
    let replicaSet: MongoReplicaSet
    let client: MongoClient
    let database: MongoDatabase
    let fake: FakeBotAPIServer
    let settings: [String: String]
    private(set) var bots: [String: ServerProcess] = [:]
    let logDirectory: URL

    init(replicaSet: MongoReplicaSet, fake: FakeBotAPIServer, settings: [String: String]) throws {
        self.replicaSet = replicaSet
        self.fake = fake
        self.settings = settings
        client = try MongoClient(uri: replicaSet.uri, threads: 4)
        database = client.database("uptimebot_cluster")
        logDirectory = replicaSet.directory.appendingPathComponent("bots")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
    }

    /// Starts instance `name` (INSTANCE_NAME) with stdout and stderr in a file of its own.
    func start(_ name: String) throws {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.baseURL, "MONGODB_URI": replicaSet.uri,
            "MONGODB_DATABASE": database.name, "HEALTH_HOST": "127.0.0.1",
            "HEALTH_PORT": "\(try ServerProcess.freeLoopbackPort())", "LOG_LEVEL": "info", "CLUSTER": "on",
            "INSTANCE_NAME": name,
        ]
        environment.merge(settings) { _, setting in setting }
        let binary = directory.appendingPathComponent("uptime-bot").path
        let log = logDirectory.appendingPathComponent("\(name).log").path
        bots[name] = try ServerProcess(
            name: name, executable: "/bin/sh", arguments: ["-c", "exec \"$0\" run >>\"$1\" 2>&1", binary, log],
            environment: environment)
    }

    func kill(_ name: String) async {
        guard let bot = bots.removeValue(forKey: name) else { return }
        Foundation.kill(bot.pid, SIGKILL)
        _ = await bot.waitForExit(timeout: .seconds(10))
    }

    func stopAll() async {
        for bot in bots.values { await bot.terminate() }
        bots = [:]
        await client.shutdown()
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: logDirectory.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
    }

    /// The last lines of every log, for a failing test's message.
    private static func tellsMore(_ line: Substring) -> Bool {
        !line.contains("monitor status changed") || line.contains("status=up")
    }

    var logTails: String {
        bots.keys.sorted().map { name in
            // Outages drown everything else in status changes: recoveries and the rest explain a failure.
            "== \(name)\n"
                + log(name).split(separator: "\n").filter(Self.tellsMore).suffix(60).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Live leases by name (expired ones left out).
    func liveLeases() async -> [String: Lease] {
        guard let all = try? await LeaseStore(database: database).all() else { return [:] }
        let now = Date()
        return Dictionary(all.filter { $0.expiresAt > now }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Monitor partitions held, per instance name (the holder's INSTANCE_NAME part).
    func partitionsByInstance() async -> [String: Int] {
        var counts: [String: Int] = [:]
        for (name, lease) in await liveLeases() where LeaseName.partitionIndex(name) != nil {
            counts[Self.instanceName(lease.holder), default: 0] += 1
        }
        return counts
    }

    /// "bot-a-1x2y3z" → "bot-a": holders are INSTANCE_NAME plus a token of the run.
    static func instanceName(_ holder: String) -> String {
        guard let dash = holder.lastIndex(of: "-") else { return holder }
        return String(holder[..<dash])
    }

    /// Polls `condition` every 250 ms until it holds; false when `timeout` passed first.
    func waitFor(_ timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return await condition()
    }

    func count(_ collection: String, _ filter: BSONDocument) async -> Int {
        (try? await database.collection(collection).count(filter)) ?? -1
    }
}
