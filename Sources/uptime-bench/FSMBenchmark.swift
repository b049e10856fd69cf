import ArgumentParser
import FSM
import Foundation
import Logging
import Mongo
import Storage

/// `uptime-bench fsm`: set_state + update_data + get_data cycles by concurrent users against a real
/// mongod (and the memory storage beside it), with operations per second and latency percentiles.
struct FSMBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsm", abstract: "FSM storage throughput and latency (64 concurrent users).")

    @Option(help: "MongoDB URI (default: $UPTIMEBOT_TEST_MONGODB_URI, as scripts/bench.sh starts one).")
    var mongodbURI: String?
    @Option(help: "Concurrent users.") var users = 64
    @Option(help: "Seconds per storage.") var seconds = 5.0
    @Option(help: "libmongoc worker threads.") var threads = 16
    @Flag(help: "Skip the in-memory storage run.") var mongoOnly = false

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        print("FSM benchmark: \(users) concurrent users, cycle = set_state + update_data + get_data, \(seconds) s each")
        if !mongoOnly { try await measure("memory", MemoryFSMStorage()) }
        guard let uri = mongodbURI ?? ProcessInfo.processInfo.environment["UPTIMEBOT_TEST_MONGODB_URI"] else {
            throw ValidationError("no MongoDB: pass --mongodb-uri or run scripts/bench.sh fsm")
        }
        let client = try MongoClient(uri: uri, threads: threads)
        let database = client.database("uptimebot_bench_fsm")
        try? await database.drop()
        print(
            "mongod \(try await client.serverVersion()) at \(uri.replacingOccurrences(of: #"//[^@]*@"#, with: "//", options: .regularExpression))"
        )
        let storage = MongoFSMStorage(database: database, logger: logger)
        try await measure("mongodb", storage)
        let sent = storage.batcher.sent
        print(
            String(
                format:
                    "mongodb: %d single-document reads/writes sent in %d commands (%.1f per command: concurrent users share them)",
                sent.operations, sent.commands, Double(sent.operations) / Double(max(sent.commands, 1))))
        try? await database.drop()
        await client.shutdown()
    }

    func measure(_ name: String, _ storage: any FSMStorage) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let cpuBefore = CPUTime.now().total
        let started = ContinuousClock.now
        let perUser = try await withThrowingTaskGroup(of: (LatencyStats, LatencyStats).self) { group in
            for user in 0..<users {
                group.addTask {
                    var cycles = LatencyStats()
                    var ops = LatencyStats()
                    let key = StorageKey(botID: 1, chatID: Int64(user), userID: Int64(user))
                    var i = 0
                    while ContinuousClock.now < deadline {
                        let t0 = ContinuousClock.now
                        try await storage.setState(i % 2 == 0 ? "AddMonitor:target" : "AddMonitor:name", for: key)
                        let t1 = ContinuousClock.now
                        try await storage.updateData(
                            ["step": .int(i), "target": .string("10.0.\(user).\(i % 250)")], for: key)
                        let t2 = ContinuousClock.now
                        _ = try await storage.getData(for: key)
                        let t3 = ContinuousClock.now
                        cycles.add(t3 - t0)
                        ops.add(t1 - t0)
                        ops.add(t2 - t1)
                        ops.add(t3 - t2)
                        i += 1
                    }
                    return (cycles, ops)
                }
            }
            var all = (LatencyStats(), LatencyStats())
            for try await (c, o) in group {
                all.0.merge(c)
                all.1.merge(o)
            }
            return all
        }
        let wall = (ContinuousClock.now - started).seconds
        let cpu = (CPUTime.now().total - cpuBefore).seconds
        let opsPerSecond = Double(perUser.1.count) / wall
        print(
            String(
                format: "%-8@ %8.0f ops/s  %7.0f cycles/s  op: %@  cycle: %@  cpu %.2f s / %.2f s wall",
                name as NSString, opsPerSecond,
                Double(perUser.0.count) / wall, perUser.1.summary, perUser.0.summary, cpu, wall))
    }
}
