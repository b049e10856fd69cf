import Foundation
import Storage
import TestSupport
import Testing

@testable import Monitor

/// The monitor cut off from the network it watches: owners are spared a storm of false alerts and
/// the admins are told, once when it happens and once when it is over. The "network" is a
/// namespace of the test's own; cutting it off is a blackhole route for the replies inside it.
@Suite(.enabled(if: rootOrCI, rootReason))
struct ConnectivitySelfCheckTests {
    @Test func cutOffMonitorHoldsOwnersAlertsAndTellsAdminsOnceEachWay() async throws {
        try #require(TestEnvironment.isRoot, "namespace tests must run as root in CI")
        try await NetworkNamespace.with { namespace in
            try await withHarness(needsPinger: true) { harness in
                let repos = harness.repositories
                let owners: [Int64] = [11, 12, 13]
                let admin: Int64 = 900
                try await repos.users.upsert(user(admin, language: "en"))
                for owner in owners {
                    try await repos.users.upsert(user(owner))
                    try await repos.monitors.create(
                        MonitorRecord(ownerID: owner, kind: .icmp, target: namespace.namespaceAddress, name: "switch"))
                }
                // A fresh veth pair takes a moment to carry traffic: start once the namespace answers.
                let pinger = try #require(harness.pinger)
                try await eventually("the namespace answers ping") {
                    await pinger.ping(namespace.namespaceAddress).isReachable
                }
                let configuration = fastConfiguration(
                    failures: 2, canaries: [namespace.namespaceAddress], admins: [admin])
                let monitor = harness.startMonitor(configuration)
                let sender = harness.startSender()
                try await eventually("every monitor is up") {
                    try await owners.asyncAllSatisfy { try await repos.monitors.list(ownerID: $0).first?.status == .up }
                }

                try await namespace.run(["ip", "route", "add", "blackhole", "\(namespace.hostAddress)/32"])
                let lost = try await harness.fake.waitForMessages(chat: admin, count: 1, timeout: .seconds(15))
                #expect(lost.first?.text.contains("The monitor has lost connectivity") == true)
                #expect(lost.first?.text.contains(namespace.namespaceAddress) == true)
                try await Task.sleep(for: .seconds(4))  // twice the failures that would declare them down
                for owner in owners {
                    #expect(harness.texts(in: owner).isEmpty, "owner \(owner) got a false alert")
                    #expect(try await repos.monitors.list(ownerID: owner).first?.status == .up)
                }
                #expect(harness.texts(in: admin).count == 1, "one message to the admin, not one per failure")

                try await namespace.run(["ip", "route", "del", "blackhole", "\(namespace.hostAddress)/32"])
                let restored = try await harness.fake.waitForMessages(chat: admin, count: 2, timeout: .seconds(15))
                #expect(restored.last?.text.contains("Connectivity is back") == true)
                try await Task.sleep(for: .seconds(2))
                for owner in owners { #expect(harness.texts(in: owner).isEmpty) }
                #expect(harness.texts(in: admin).count == 2)
                await monitor.stop()
                await sender.stop()
            }
        }
    }
}

extension Sequence where Element: Sendable {
    func asyncAllSatisfy(_ predicate: (Element) async throws -> Bool) async rethrows -> Bool {
        for element in self where try await !predicate(element) { return false }
        return true
    }
}
