import ArgumentParser
import Curl
import FakeTelegramAPI
import Foundation
import Mongo
import TestSupport

/// One row group of `uptime-bench cluster`: `count` real `uptime-bot` processes on one database,
/// measured once the 64 partitions are spread over all of them.
struct ClusterBenchmarkRun {
    struct Row {
        var name: String
        var checks: Int
        var cpu: Double
    }

    let database: MongoDatabase
    let uri: String
    let fake: FakeBotAPIServer
    let http: CurlHTTPClient
    let count: Int
    let interval: Int
    let owners: Int

    func measure(seconds: Int) async throws -> [Row] {
        var bots: [(name: String, process: ServerProcess, port: Int)] = []
        defer { for bot in bots { bot.process.stop() } }
        for index in 0..<count {
            let name = "bench-\(index)"
            let port = try ServerProcess.freeLoopbackPort()
            bots.append((name, try start(name: name, port: port), port))
        }
        try await waitForSpread(bots.map(\.name))
        // One interval for the new owners to settle into their phases, then the measured window.
        try await Task.sleep(for: .seconds(interval))
        let before = try await bots.asyncMap { try await (checks(port: $0.port), CPUTime.of(pid: $0.process.pid)) }
        try await Task.sleep(for: .seconds(seconds))
        let after = try await bots.asyncMap { try await (checks(port: $0.port), CPUTime.of(pid: $0.process.pid)) }
        for bot in bots { await bot.process.terminate() }
        bots = []
        return zip(zip(before, after), 0..<count).map { pair, index in
            Row(name: "bench-\(index)", checks: pair.1.0 - pair.0.0, cpu: (pair.1.1 - pair.0.1).seconds)
        }
    }

    private func start(name: String, port: Int) throws -> ServerProcess {
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("uptime-bot").path
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.baseURL, "MONGODB_URI": uri, "MONGODB_DATABASE": database.name,
            "CLUSTER": "on", "INSTANCE_NAME": name, "HEALTH_HOST": "127.0.0.1", "HEALTH_PORT": "\(port)",
            "LOG_LEVEL": "warning", "CHECK_INTERVAL": "\(interval)", "MIN_CHECK_INTERVAL": "5", "PING_PROBES": "1",
            "CHECK_HISTORY_DAYS": "1", "ADMIN_IDS": (0..<owners).map { "\(100_000 + $0)" }.joined(separator: ","),
        ]
        return try ServerProcess(name: name, executable: binary, arguments: ["run"], environment: environment)
    }

    /// Until every instance holds a share and all 64 partitions are held.
    private func waitForSpread(_ names: [String]) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let leases = try await database.collection("leases").find(
                ["_id": ["$regex": "^partition:"], "expires_at": ["$gt": .datetime(Date())]])
            let holders = Dictionary(grouping: leases.compactMap { $0["holder"]?.stringValue }) { holder in
                names.first { holder.hasPrefix($0 + "-") } ?? holder
            }
            if leases.count == 64, Set(holders.keys) == Set(names) { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw ValidationError("the partitions did not spread over \(names.count) instance(s) within 120 s")
    }

    /// uptimebot_checks_total of one instance, summed over its labels, from its /metrics.
    private func checks(port: Int) async throws -> Int {
        let response = try await http.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics", proxy: .none))
        let text = String(decoding: response.body, as: UTF8.self)
        return text.split(separator: "\n").filter { $0.hasPrefix("uptimebot_checks_total") }.compactMap { line in
            line.split(separator: " ").last.flatMap { Double($0) }.map { Int($0) }
        }.reduce(0, +)
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
