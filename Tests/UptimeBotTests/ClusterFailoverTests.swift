import BSON
import Cluster
import FakeTelegramAPI
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

/// Three real `uptime-bot` processes on a real three-member replica set, against the fake Bot API:
/// 300 monitors of 50 owners (ICMP on 127.x, HTTP on a local origin), a mass outage and its recovery,
/// and during it the poller's instance is SIGKILLed and the primary stepped down. Then a fourth
/// instance joins and one is killed: the monitor partitions follow.
struct ClusterFailoverTests {
    static let interval = 10
    static let owners = (0..<50).map { FakeUser(id: 8000 + Int64($0), firstName: "Owner\($0)", languageCode: "en") }
    static let chatters = (0..<10).map { FakeUser(id: 9000 + Int64($0), firstName: "Chat\($0)", languageCode: "en") }

    @Test(.timeLimit(.minutes(10)))
    func everyTransitionIsAlertedOnceAndEveryUpdateAnsweredOnceThroughAPollerKillAndAStepDown() async throws {
        let replicaSet = try MongoReplicaSet()
        try await replicaSet.start()
        let origin = try await SwitchableOrigin()
        defer { origin.stop() }
        try await withFakeBotAPIServer { fake in
            let settings = [
                "FAILURES_BEFORE_ALERT": "1", "SUCCESSES_BEFORE_RECOVERY": "1", "CHECK_INTERVAL": "\(Self.interval)",
                "MIN_CHECK_INTERVAL": "5", "PING_PROBES": "1", "CHECK_TIMEOUT": "3",
                "ADMIN_IDS": Self.owners.map { "\($0.id)" }.joined(separator: ","),
            ]
            let cluster = try ClusterHarness(replicaSet: replicaSet, fake: fake, settings: settings)
            do {
                let sites = try await Self.seed(cluster.database, origin: origin)
                try await run(cluster, fake: fake, origin: origin, sites: sites)
                await cluster.stopAll()
            } catch {
                Issue.record("logs:\n\(cluster.logTails)")
                await cluster.stopAll()
                throw error
            }
        }
        await replicaSet.stop()
    }

    private func run(
        _ cluster: ClusterHarness, fake: FakeBotAPIServer, origin: SwitchableOrigin, sites: [MonitorRecord]
    ) async throws {
        for name in ["bot-a", "bot-b", "bot-c"] { try cluster.start(name) }
        try #require(
            await cluster.waitFor(.seconds(120)) {
                let spread = await cluster.partitionsByInstance()
                let up = await cluster.count("monitors", ["status": "up"])
                return spread.count == 3 && spread.values.reduce(0, +) == MonitorPartitions.count && up == 300
            }, "three instances share the partitions and every monitor is up")
        print("cluster: partitions at start \(await cluster.partitionsByInstance())")

        // Users write all along; each update must get exactly one answer.
        let chatting = Task {
            var sent: [Int64: Int] = [:]
            for index in 0..<40 {
                let user = Self.chatters[index % Self.chatters.count]
                _ = fake.sendCommand(from: user, "help")
                sent[user.id, default: 0] += 1
                try? await Task.sleep(for: .milliseconds(600))
            }
            return sent
        }

        try origin.set(down: true)
        try #require(await cluster.waitFor(.seconds(60)) { await cluster.count("monitors", ["status": "down"]) >= 30 })
        let poller = try #require(await cluster.liveLeases()[LeaseName.poller])
        let killed = ClusterHarness.instanceName(poller.holder)
        let killedAt = ContinuousClock.now
        print("cluster: killing \(killed) at \(Date())")
        await cluster.kill(killed)
        let steppedDown = try await cluster.replicaSet.stepDown()
        try #require(
            await cluster.waitFor(.seconds(30)) {
                guard let lease = await cluster.liveLeases()[LeaseName.poller] else { return false }
                return ClusterHarness.instanceName(lease.holder) != killed
            }, "another instance takes the poller lease")
        let failover = ContinuousClock.now - killedAt
        print("cluster: killed \(killed) (poller), stepped down the primary on :\(steppedDown); failover \(failover)")
        #expect(failover <= .seconds(15))

        let siteCount = sites.count
        let outagesAlerted = await cluster.waitFor(.seconds(120)) {
            await cluster.count("outbox", ["dedupe_key": ["$regex": ":down:"], "state": "sent"]) == siteCount
        }
        if !outagesAlerted { await Self.describeAlerts(cluster.database, sites: sites, transition: "down") }
        try #require(outagesAlerted, "every site's outage alerted")
        try origin.set(down: false)
        let recoveriesAlerted = await cluster.waitFor(.seconds(120)) {
            await cluster.count("outbox", ["dedupe_key": ["$regex": ":up:"], "state": "sent"]) == siteCount
        }
        if !recoveriesAlerted { await Self.describeAlerts(cluster.database, sites: sites, transition: "up") }
        try #require(recoveriesAlerted, "every site's recovery alerted")

        let sent = await chatting.value
        let answered = await cluster.waitFor(.seconds(60)) {
            sent.allSatisfy { chat, count in fake.messages(in: chat).count >= count }
        }
        try await Task.sleep(for: .seconds(3))  // room for a duplicate to show up
        #expect(answered)
        for (chat, count) in sent { #expect(fake.messages(in: chat).count == count, "chat \(chat)") }
        Self.expectEachTransitionOnce(sites, fake: fake)
        #expect(await cluster.count("outbox", ["dedupe_key": ["$regex": ":down:"]]) == siteCount, "no ICMP alert")
        let conflicts = fake.calls(method: "getUpdates").filter { $0.status == 409 }.count
        print("cluster: getUpdates answered 409 \(conflicts) times")
        #expect(conflicts <= 2, "no 409 loop")

        try await joinAndLeave(cluster, survivorsBesides: killed)
    }

    /// A fourth instance takes its share within one interval; a killed one's share goes to the rest.
    private func joinAndLeave(_ cluster: ClusterHarness, survivorsBesides killed: String) async throws {
        let joinedAt = ContinuousClock.now
        try cluster.start("bot-d")
        try #require(await cluster.waitFor(.seconds(60)) { await cluster.count("instances", ["name": "bot-d"]) == 1 })
        let heartbeatAt = ContinuousClock.now
        let moved = await cluster.waitFor(.seconds(Self.interval)) {
            let spread = await cluster.partitionsByInstance()
            return spread.count == 3 && (spread["bot-d"] ?? 0) >= MonitorPartitions.count / 3 - 1
                && spread.values.reduce(0, +) == MonitorPartitions.count
        }
        print(
            "cluster: bot-d joined (first heartbeat after \(heartbeatAt - joinedAt)); partitions moved after "
                + "\(ContinuousClock.now - heartbeatAt): \(await cluster.partitionsByInstance())")
        #expect(moved, "partitions move to the new instance within one check interval")

        let victim = ["bot-a", "bot-b", "bot-c"].first { $0 != killed } ?? "bot-b"
        let killedAt = ContinuousClock.now
        let killedAtDate = Date()
        print("cluster: killing \(victim) at \(killedAtDate)")
        await cluster.kill(victim)
        let taken = await cluster.waitFor(.seconds(30)) {
            let spread = await cluster.partitionsByInstance()
            return spread[victim] == nil && spread.count == 2 && spread.values.reduce(0, +) == MonitorPartitions.count
        }
        let takeover = ContinuousClock.now - killedAt
        print(
            "cluster: killed \(victim); survivors hold every partition after \(takeover): "
                + "\(await cluster.partitionsByInstance())")
        #expect(taken)
        try await Task.sleep(for: .seconds(Self.interval + 2))
        // The whole run (the poller's SIGKILL together with a primary step-down, then the join) and
        // the plain SIGKILL alone: the first also waits out the replica set's election.
        let whole = try await Self.longestGap(cluster.database, since: Date().addingTimeInterval(-600))
        let plain = try await Self.longestGap(
            cluster.database, since: killedAtDate.addingTimeInterval(-TimeInterval(Self.interval + 2)))
        for (label, gap) in [("whole run", whole), ("around the plain SIGKILL", plain)] {
            print(
                "cluster: longest gap between two checks of one monitor, \(label): \(gap.seconds) s (from \(gap.from), "
                    + "monitor \(gap.monitor.map { "\($0)" } ?? "-"), partition "
                    + "\(gap.monitor.map { "\(MonitorPartitions.partition(of: $0))" } ?? "-"))")
        }
        // The survivors take the dead instance's partitions as its leases run out and check the
        // overdue monitors within a second: interval + lease. A check the dead instance made in its
        // last second but had not written is lost with it, hence the 2 s.
        #expect(
            plain.seconds <= TimeInterval(Self.interval + 10 + 2),
            "no monitor unchecked longer than interval + lease after a SIGKILL")
        // With the primary stepped down at the same moment, the election (failover above) comes on top.
        #expect(
            whole.seconds <= TimeInterval(Self.interval + 10 + 15),
            "no monitor unchecked longer than interval + lease + failover")
    }
}
