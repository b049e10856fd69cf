import Checks
import Foundation
import Storage
import TestSupport
import Testing

@testable import Monitor

/// A policy changed between two starts: the monitors it now denies are paused before anything
/// is checked, and each owner hears about theirs once, through the outbox.
@Suite(.enabled(if: rootOrCI, rootReason))
struct PolicySweepTests {
    @Test func monitorsAChangedPolicyDeniesArePausedWithOneMessageToTheirOwner() async throws {
        try #require(TestEnvironment.isRoot, "ICMP tests must run as root in CI")
        try await withMigratedDatabase { _, repos in
            try await withHarness(repositories: repos, needsPinger: true) { harness in
                try await repos.users.upsert(user(1))
                try await repos.users.upsert(user(2, language: "en"))
                let denied = MonitorRecord(ownerID: 1, kind: .icmp, target: "127.0.9.1", name: "закрытый")
                let deniedSite = MonitorRecord(ownerID: 1, kind: .http, target: "http://127.0.9.2:8080/", name: "сайт")
                let allowed = MonitorRecord(ownerID: 1, kind: .icmp, target: "127.0.0.1", name: "открытый")
                let notAdmin = MonitorRecord(ownerID: 2, kind: .icmp, target: "127.0.0.1", name: "loopback")
                for monitor in [denied, deniedSite, allowed, notAdmin] { try await repos.monitors.create(monitor) }

                var configuration = fastConfiguration(admins: [1])
                configuration.targetPolicy = TargetPolicy(deny: try .parse("127.0.9.0/24", setting: "TARGET_DENY"))
                let sender = harness.startSender()
                let service = harness.startMonitor(configuration)
                try await eventually("the allowed monitor is checked") {
                    try await repos.monitors.get(allowed.id)?.lastCheck?.ok == true
                }
                for id in [denied.id, deniedSite.id, notAdmin.id] {
                    #expect(try await repos.monitors.get(id)?.enabled == false)
                    #expect(try await repos.monitors.get(id)?.lastCheck == nil, "a denied monitor is never checked")
                }
                try await eventually("both owners are told") {
                    !harness.texts(in: 1).isEmpty && !harness.texts(in: 2).isEmpty
                }
                await service.stop()
                // A second start finds nothing left to pause and says nothing again.
                let again = harness.startMonitor(configuration)
                try await eventually("the allowed monitor is checked after the restart") {
                    try await repos.checks.recent(monitorID: allowed.id, limit: 100).count >= 2
                }
                await again.stop()
                try await Task.sleep(for: .milliseconds(500))
                await sender.stop()

                // The policy's messages only: once, under the full suite, owner 1 got a second message
                // besides it (not captured; the allowed loopback ping missing its timeout would do it).
                // A second policy message still fails here.
                let ownerTexts = harness.texts(in: 1).filter { $0.contains("Политика адресов бота изменилась") }
                #expect(ownerTexts.count == 1, "\(harness.texts(in: 1))")
                #expect(ownerTexts.first?.contains("Политика адресов бота изменилась") == true)
                #expect(ownerTexts.first?.contains("127.0.9.1 запрещён настройкой TARGET_DENY (127.0.9.0/24)") == true)
                #expect(ownerTexts.first?.contains("сайт") == true)
                #expect(harness.texts(in: 2).count == 1)
                #expect(harness.texts(in: 2).first?.contains("loopback is for admins only") == true)
            }
        }
    }
}
