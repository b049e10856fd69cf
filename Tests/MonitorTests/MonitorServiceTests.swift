import Foundation
import Storage
import TestSupport
import Testing

@testable import Monitor

/// The scheduler with real checks: ICMP on loopback, HTTP against local servers, storage in memory.
@Suite(.enabled(if: rootOrCI, rootReason))
struct MonitorServiceTests {
    @Test func addedEditedAndDeletedMonitorsTakeEffectAtTheNextReload() async throws {
        try #require(TestEnvironment.isRoot, "ICMP tests must run as root in CI")
        let origin = try await LocalHTTPServer.shared()
        try await withHarness(needsPinger: true) { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(1))
            let a = MonitorRecord(ownerID: 1, kind: .icmp, target: "127.0.10.1", name: "a")
            try await repos.monitors.create(a)
            let service = harness.startMonitor(fastConfiguration())

            try await eventually("the first monitor is checked") {
                try await repos.monitors.get(a.id)?.lastCheck?.ok == true
            }

            let b = MonitorRecord(ownerID: 1, kind: .icmp, target: "127.0.10.2", name: "b")
            try await repos.monitors.create(b)
            try await eventually("a monitor added in the chat is checked without a restart") {
                try await repos.monitors.get(b.id)?.lastCheck?.ok == true
            }

            _ = try await repos.monitors.update(
                a.id, ownerID: 1, MonitorChanges(target: origin.url("/status/503"), kind: .http))
            try await eventually("an edited monitor is checked as edited") {
                try await repos.monitors.get(a.id)?.lastCheck?.httpStatus == 503
            }

            _ = try await repos.monitors.delete(b.id, ownerID: 1)
            // A check already running (≤ its 3 s timeout) may still finish and flush.
            try await Task.sleep(for: .seconds(5))
            let afterDelete = try await repos.checks.recent(monitorID: b.id, limit: 1000).count
            try await Task.sleep(for: .seconds(2))
            #expect(
                try await repos.checks.recent(monitorID: b.id, limit: 1000).count == afterDelete,
                "a deleted monitor is not checked any more")

            _ = try await repos.monitors.update(a.id, ownerID: 1, MonitorChanges(enabled: false))
            try await Task.sleep(for: .seconds(5))
            let afterDisable = try await repos.checks.recent(monitorID: a.id, limit: 1000).count
            try await Task.sleep(for: .seconds(2))
            #expect(
                try await repos.checks.recent(monitorID: a.id, limit: 1000).count == afterDisable,
                "a disabled monitor is not checked")
            await service.stop()
        }
    }

    @Test func aHangingSiteDoesNotDelayPings() async throws {
        try #require(TestEnvironment.isRoot, "ICMP tests must run as root in CI")
        let origin = try await LocalHTTPServer.shared()
        try await withHarness(needsPinger: true) { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(1))
            let site = MonitorRecord(ownerID: 1, kind: .http, target: origin.url("/hang-after-headers"), name: "hangs")
            let device = MonitorRecord(ownerID: 1, kind: .icmp, target: "127.0.10.3", name: "device")
            try await repos.monitors.create(site)
            try await repos.monitors.create(device)
            // The site's check hangs for its whole 120 s timeout; the device is checked every second meanwhile.
            let service = harness.startMonitor(fastConfiguration(checkTimeout: .seconds(120)))
            try await eventually(
                "the device is checked again and again while the site's check hangs", timeout: .seconds(60)
            ) {
                try await repos.checks.recent(monitorID: device.id, limit: 100).count >= 4
            }
            let pings = try await repos.checks.recent(monitorID: device.id, limit: 100)
            let siteChecks = try await repos.checks.recent(monitorID: site.id, limit: 100)
            #expect(pings.allSatisfy { $0.ok })
            #expect(siteChecks.isEmpty, "the site's first check still hangs while \(pings.count) pings went through")
            await service.stop()
        }
    }
}
