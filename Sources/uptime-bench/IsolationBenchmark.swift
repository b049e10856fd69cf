import ArgumentParser
import BSON
import Foundation
import ICMP
import Mongo
import Monitor
import Storage
import TelegramAPI
import TestSupport

/// `uptime-bench isolation`: does one noisy owner delay everyone else's alerts? 1,000 owners with
/// one site each on a loopback nginx, through the storm's stack (real scheduler, outbox, sender,
/// fake Bot API, real mongod). Outage: nginx stops; each owner's time from then to its sendMessage.
/// Measured without and with one more owner who has 200 URLs on a server that accepts and never
/// answers and 100 ICMP monitors on names under `.isolation.test`, whose nameserver (a loopback UDP
/// socket on port 53) drops every query. The system resolver is pointed at that socket in a private
/// mount namespace (see `PrivateResolvConf`): the names never reach a real nameserver and the
/// machine's /etc/resolv.conf is never touched. Goal: with/without within 10 %.
struct IsolationBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isolation",
        abstract: "Other owners' outage-to-alert time with and without an owner of hanging URLs and dead DNS names.")

    @Option(help: "MongoDB URI (default: $UPTIMEBOT_TEST_MONGODB_URI).") var mongodbURI: String?
    @Option(help: "Owners with one site each, measured.") var owners = 1000
    @Option(name: .customLong("hanging-urls"), help: "The noisy owner's URLs on a server that never answers.")
    var hangingURLs = 200
    @Option(help: "The noisy owner's ICMP monitors on names whose nameserver never answers.") var silentNames = 100
    @Option(help: "Pairs of runs (without, with), alternating.") var runs = 1
    @Option(help: "Seconds every monitor runs before the outage (the noise reaches its steady state).")
    var warmup = 30
    @Option(help: "Check interval, seconds.") var checkInterval = 5
    @Option(help: "Failures before an alert.") var failuresBeforeAlert = 1
    @Option(help: "Check timeout, seconds (CHECK_TIMEOUT; a hanging URL holds a slot this long).")
    var checkTimeout = 10
    @Flag(help: "Telegram's default send limits (30/s): then the send queue, not the checks, sets the times.")
    var telegramLimits = false
    @Option(help: "nginx binary (Debian: nginx-light).") var nginx = "/usr/sbin/nginx"

    func run() async throws {
        guard try PrivateResolvConf.enterPrivateMountNamespace() else { return }
        guard let uri = mongodbURI ?? ProcessInfo.processInfo.environment["UPTIMEBOT_TEST_MONGODB_URI"] else {
            throw ValidationError("no MongoDB: pass --mongodb-uri or run scripts/bench.sh isolation")
        }
        let nameserver = try await Self.silentNameserver()
        try PrivateResolvConf.pointSystemResolver(at: nameserver.host)
        let hanging = try await SilentServer.tcp()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("isolation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The canary stays up through the outage: the connectivity guard must find the monitor connected.
        let (canary, canaryPort) = try await startOrigin(in: directory, named: "canary")
        defer { canary.stop() }
        let resolver = HostResolver()
        let pinger = try ICMPPinger(resolver: resolver)
        let mongo = try MongoClient(uri: uri, threads: 16)
        let setup = Setup(
            bench: self, canary: "http://127.0.0.1:\(canaryPort)/check/canary", resolver: resolver, pinger: pinger,
            noisy: NoisyOwner(hanging: hanging, urls: hangingURLs, names: silentNames))
        printSetup(nameserver: nameserver)
        var without: [Duration] = []
        var with: [Duration] = []
        for run in 1...max(1, runs) {
            let quiet = try await measure(mongo, setup, noisy: false, directory: directory, run: run)
            without += quiet
            let noisy = try await measure(mongo, setup, noisy: true, directory: directory, run: run)
            with += noisy
        }
        print(
            "noise that reached its servers: \(hanging.arrivals.count.load(ordering: .relaxed)) connections to the hanging server, \(nameserver.arrivals.count.load(ordering: .relaxed)) DNS queries dropped"
        )
        IsolationFigures(without: without, with: with, owners: owners * max(1, runs)).print()
        pinger.shutdown()
        await hanging.stop()
        await nameserver.stop()
        await mongo.shutdown()
    }

    /// The UDP socket the private resolv.conf names: port 53 (resolv.conf takes no port) on an
    /// address of 127.0.0.0/8 nothing else here uses.
    private static func silentNameserver() async throws -> SilentServer {
        var lastError: (any Error)?
        for _ in 0..<20 {
            let host = "127.53.\(Int.random(in: 1...254)).\(Int.random(in: 1...254))"
            do { return try await SilentServer.udp(host: host, port: 53) } catch { lastError = error }
        }
        throw ValidationError("no free loopback address for the silent nameserver: \(String(describing: lastError))")
    }

    /// An nginx of its own (HTTPBenchmark's origin: /check/<i> answers 200) in a subdirectory.
    private func startOrigin(in directory: URL, named name: String) async throws -> (ServerProcess, port: Int) {
        let own = directory.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
        return try await HTTPBenchmark.startOrigin(nginx: nginx, directory: own)
    }

    private func printSetup(nameserver: SilentServer) {
        print(
            "isolation: \(owners) owners, one site each on a loopback nginx; outage = nginx stops; "
                + "check every \(checkInterval) s, alert after \(failuresBeforeAlert) failure(s), timeout \(checkTimeout) s, "
                + "200 check slots; Telegram limits: \(telegramLimits ? "30/s, 1/s a chat" : "raised (the checks set the times)")"
        )
        print(
            "noisy owner: \(hangingURLs) URLs on a server that accepts and never answers, \(silentNames) ICMP monitors on "
                + "names under .isolation.test (nameserver \(nameserver.host):53 drops every query; private mount namespace)"
        )
    }

    /// One run: the stack on a fresh database, every site up, the warm-up, then the outage; each
    /// owner's time from the outage to its first alert.
    private func measure(_ mongo: MongoClient, _ setup: Setup, noisy: Bool, directory: URL, run: Int) async throws
        -> [Duration]
    {
        let (origin, port) = try await startOrigin(in: directory, named: "origin-\(run)-\(noisy)")
        var extras = setup.extras
        extras.site = { "http://127.0.0.1:\(port)/check/\($0)" }
        if noisy { extras.monitors = setup.noisy.monitors }
        let firstOwner: Int64 = 30_000
        let stack = try await StormStack.start(
            mongo, database: "uptimebot_bench_isolation", owners: owners, firstOwner: firstOwner,
            failuresBeforeAlert: failuresBeforeAlert, extraUsers: noisy ? [NoisyOwner.id] : [], extras: extras)
        let monitors = stack.database.collection("monitors")
        let sites: BSONDocument = ["owner_id": ["$gte": .int64(firstOwner)], "last_check.ok": true]
        let upBy = Date().addingTimeInterval(120)
        while try await monitors.count(sites) < owners, Date() < upBy { try await Task.sleep(for: .milliseconds(500)) }
        try await Task.sleep(for: .seconds(warmup))
        let failingNoise =
            noisy ? try await monitors.count(["owner_id": .int64(NoisyOwner.id), "last_check.ok": false]) : 0
        let outage = Date()
        await origin.terminate()
        let deadline = Date().addingTimeInterval(180)
        while stack.alertedOwners() < owners, Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        let deliveries = try await stack.deliveries()
        await stack.stop()
        var first: [Int64: StormStack.Delivery] = [:]
        for delivery in deliveries where delivery.at < first[delivery.chat]?.at ?? .distantFuture {
            first[delivery.chat] = delivery
        }
        let early = first.values.filter { $0.at < outage }.count
        let alerted = first.values.filter { $0.at >= outage }
        let times = alerted.map { Duration.seconds($0.at.timeIntervalSince(outage)) }.sorted()
        // The two halves of each time: outage → the failing check (the check's slot, its slots and
        // the checker), and that check → sendMessage (writer, outbox, sender).
        let toSend = alerted.compactMap(\.sinceDown).sorted()
        let toCheck = alerted.compactMap { delivery in
            delivery.sinceDown.map { .seconds(delivery.at.timeIntervalSince(outage)) - $0 }
        }.sorted()
        let label = noisy ? "with the noisy owner   " : "without the noisy owner"
        print(
            "run \(run) \(label): \(IsolationFigures.summary(times)) (\(times.count) of \(owners) alerted"
                + (early > 0 ? ", \(early) BEFORE the outage: the machine was too busy" : "")
                + (noisy ? "; \(failingNoise) of \(setup.noisy.monitors.count) noisy monitors failing" : "") + ")")
        print(
            "      outage → failing check: \(IsolationFigures.summary(toCheck)); failing check → sendMessage: "
                + IsolationFigures.summary(toSend))
        return times
    }
}

extension IsolationBenchmark {
    /// What both runs share; the noisy owner's monitors join the second.
    struct Setup: Sendable {
        var extras: StormStack.Extras
        var noisy: NoisyOwner

        init(bench: IsolationBenchmark, canary: String, resolver: HostResolver, pinger: ICMPPinger, noisy: NoisyOwner) {
            extras = StormStack.Extras(
                resolver: resolver, pinger: pinger, canaries: [canary], checkInterval: bench.checkInterval,
                checkTimeout: .seconds(bench.checkTimeout),
                limits: bench.telegramLimits ? .telegramDefaults : .unlimited,
                // The outbox opens at most `concurrentChats` lanes a poll (32 a second by default): raised
                // with the limits, or it, not the checks, would set the times of 1,000 alerts.
                outbox: bench.telegramLimits
                    ? OutboxSenderConfiguration() : OutboxSenderConfiguration(concurrentChats: bench.owners + 1))
            self.noisy = noisy
        }
    }

    /// The owner whose sites hang and whose names never resolve.
    struct NoisyOwner: Sendable {
        static let id: Int64 = 29_999
        var monitors: [MonitorRecord]

        init(hanging: SilentServer, urls: Int, names: Int) {
            let upSince = Date().addingTimeInterval(-3600)
            monitors =
                (0..<urls).map {
                    MonitorRecord(
                        ownerID: Self.id, kind: .http, target: "http://\(hanging.host):\(hanging.port)/hang/\($0)",
                        name: "hanging \($0)", status: .up, statusSince: upSince)
                }
                + (0..<names).map {
                    MonitorRecord(
                        ownerID: Self.id, kind: .icmp, target: "n\($0).isolation.test", name: "silent \($0)",
                        status: .up,
                        statusSince: upSince)
                }
        }
    }
}
