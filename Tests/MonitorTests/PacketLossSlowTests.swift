import Foundation
import Storage
import TestSupport
import Testing

@testable import Monitor

/// A device behind a lossy link, made in a namespace of the test's own: half of its pings are lost
/// (`tc netem loss 50%`, or nftables where the kernel has no netem). Its owner hears it is slow —
/// not down, since half still answer — and fast again once the link is clean.
@Suite(.enabled(if: rootOrCI, rootReason))
struct PacketLossSlowTests {
    @Test func packetLossAtThePercentageMakesADeviceSlowAndACleanLinkRecoversIt() async throws {
        try #require(TestEnvironment.isRoot, "namespace tests must run as root in CI")
        try await NetworkNamespace.with { namespace in
            try await withHarness(needsPinger: true) { harness in
                let repos = harness.repositories
                try await repos.users.upsert(user(61, language: "en"))
                let monitor = MonitorRecord(
                    ownerID: 61, kind: .icmp, target: namespace.namespaceAddress, name: "Branch router")
                try await repos.monitors.create(monitor)
                _ = try await repos.monitors.update(
                    monitor.id, ownerID: 61, MonitorChanges(options: MonitorOptions(packetLossPercent: 20)))
                let pinger = try #require(harness.pinger)
                try await eventually("the namespace answers ping") {
                    await pinger.ping(namespace.namespaceAddress).isReachable
                }
                let service = harness.startMonitor(fastConfiguration(failures: 2, successes: 2))
                let sender = harness.startSender()
                try await eventually("the device is up") { try await repos.monitors.get(monitor.id)?.status == .up }
                #expect(try await repos.monitors.get(monitor.id)?.slow.active == false)

                let method = try await namespace.loseHalfThePackets()
                let slow = try await harness.fake.waitForMessages(chat: 61, count: 1, timeout: .seconds(40))
                #expect(slow.first?.text.contains("🟡 Branch router is slow") == true, "\(slow.map(\.text))")
                #expect(slow.first?.text.contains("packet loss") == true)
                let stored = try #require(try await repos.monitors.get(monitor.id))
                #expect(stored.status == .up && stored.slow.active)
                // Ten echo requests a check, not PING_PROBES' one: the loss is measured, not guessed.
                let lastLoss = try await repos.checks.recent(monitorID: monitor.id, limit: 1).first
                #expect(lastLoss?.ok == true && lastLoss?.slow == true)

                try await namespace.restorePackets(method)
                let fast = try await harness.fake.waitForMessages(chat: 61, count: 2, timeout: .seconds(40))
                #expect(fast.last?.text.contains("🟢 Branch router is fast again") == true, "\(fast.map(\.text))")
                await service.stop()
                await sender.stop()
                #expect(!harness.texts(in: 61).contains { $0.contains("is down") })
                #expect(try await repos.monitors.get(monitor.id)?.slow.active == false)
            }
        }
    }
}
