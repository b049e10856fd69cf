import ArgumentParser
import Curl
import FakeTelegramAPI
import Foundation
import Logging
import Mongo
import Storage
import TestSupport

/// `uptime-bench cluster`: N loopback ICMP monitors checked by 1, 2 and 3 real `uptime-bot`
/// processes (CLUSTER=on, one database): each instance's share of the checks (equal ± 10 %) and its
/// CPU per check against the single instance's (≤ 1.2 ×).
struct ClusterBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Checks shared by 1, 2, 3 cluster instances: shares and CPU per check.")

    @Option(help: "Monitors in all (distinct 127.x.y.z addresses).") var monitors = 20_000
    @Option(help: "Owners (all admins: loopback is for admins only).") var owners = 100
    @Option(help: "CHECK_INTERVAL in seconds.") var interval = 30
    @Option(help: "Intervals measured per run, after the partitions settled.") var sweeps = 2
    @Option(help: "Instance counts to run, comma-separated.") var instances = "1,2,3"
    @Option(help: "MongoDB (default: UPTIMEBOT_TEST_MONGODB_URI).") var mongodbURI: String?

    func run() async throws {
        guard let uri = mongodbURI ?? ProcessInfo.processInfo.environment["UPTIMEBOT_TEST_MONGODB_URI"] else {
            throw ValidationError(
                "needs a MongoDB: --mongodb-uri or UPTIMEBOT_TEST_MONGODB_URI (scripts/mongod.sh start)")
        }
        var logger = Logger(label: "bench.cluster")
        logger.logLevel = .warning
        let mongo = try MongoClient(uri: uri, threads: 8)
        let database = mongo.database("uptimebot_bench_cluster_\(getpid())")
        try? await database.drop()
        try await SchemaMigrator.standard(database: database, logger: logger).migrate()
        try await seed(database, logger: logger)
        let fake = try await FakeBotAPIServer.start()
        let http = try CurlHTTPClient(maxConcurrent: 8, logger: logger)
        print(
            "Cluster benchmark: \(monitors) ICMP monitors (loopback), interval \(interval) s, \(sweeps) intervals measured, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("instances  instance  checks    share   (equal)  CPU s   CPU ms/check  vs single")
        var single: Double?
        for count in instances.split(separator: ",").compactMap({ Int($0) }) where count > 0 {
            let run = ClusterBenchmarkRun(
                database: database, uri: uri, fake: fake, http: http, count: count, interval: interval,
                owners: owners)
            let rows = try await run.measure(seconds: interval * max(1, sweeps))
            let total = rows.reduce(0) { $0 + $1.checks }
            let perCheck = rows.reduce(0) { $0 + $1.cpu } / Double(max(1, total)) * 1000
            if count == 1 { single = perCheck }
            for row in rows {
                let share = Double(row.checks) / Double(max(1, total)) * 100
                let mine = row.cpu / Double(max(1, row.checks)) * 1000
                print(
                    String(
                        format: "%9d  %-8@  %7d  %6.1f%%  %6.1f%%  %6.2f  %12.3f  %8@", count, row.name, row.checks,
                        share, 100 / Double(count), row.cpu, mine,
                        single.map { String(format: "%.2f×", mine / $0) } ?? "—"))
            }
            print(
                String(
                    format: "RESULT %d instance(s): %d checks, CPU %.3f ms/check (%@ single)", count, total, perCheck,
                    single.map { String(format: "%.2f×", perCheck / $0) } ?? "—"))
        }
        http.shutdown()
        await fake.stop()
        try? await database.drop()
        await mongo.shutdown()
    }

    private func seed(_ database: MongoDatabase, logger: Logger) async throws {
        let users = MongoUserRepository(database: database, logger: logger)
        for index in 0..<owners {
            try await users.upsert(
                UserRecord(id: Int64(100_000 + index), phone: "7999\(index)", firstName: "u\(index)"))
        }
        let repository = MongoMonitorRepository(database: database, logger: logger)
        let (monitors, owners, interval) = (self.monitors, self.owners, self.interval)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: monitors, by: 1000) {
                group.addTask {
                    for index in chunk..<min(chunk + 1000, monitors) {
                        try await repository.create(
                            MonitorRecord(
                                ownerID: Int64(100_000 + index % owners), kind: .icmp, target: loopbackAddress(index),
                                name: "device \(index)", intervalSeconds: interval))
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
