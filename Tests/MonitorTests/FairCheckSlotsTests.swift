import BSON
import Foundation
import Storage
import TestSupport
import Testing

@testable import Monitor

/// One owner's hanging sites take only that owner's share of the check slots.
struct FairCheckSlotsTests {
    @Test func anotherOwnersSiteIsCheckedWhileOneOwnersHangingSitesFillTheirShare() async throws {
        let origin = try await LocalHTTPServer.shared()
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(1))
            try await repos.users.upsert(user(2))
            for index in 0..<12 {
                try await repos.monitors.create(
                    MonitorRecord(
                        ownerID: 2, kind: .http, target: origin.url("/sleep/60?fair=\(index)"), name: "hang \(index)"))
            }
            var configuration = fastConfiguration(checkTimeout: .seconds(30))
            configuration.checkConcurrency = 4
            let running = RunningService(
                MonitorService(
                    repositories: repos, pinger: nil, http: harness.http, configuration: configuration,
                    logger: testLogger))
            // The hanging checks are in flight (their first slots are within a second), then the other owner adds a site.
            try await Task.sleep(for: .milliseconds(1500))
            let site = MonitorRecord(ownerID: 1, kind: .http, target: origin.url("/status/200?fair=ok"), name: "ok")
            try await repos.monitors.create(site)
            do {
                // Well before the hanging checks give up (30 s): it did not wait for their slots.
                try await eventually("the other owner's site is checked", timeout: .seconds(10)) {
                    try await repos.monitors.get(site.id)?.lastCheck?.ok == true
                }
            } catch {
                await running.stop()
                throw error
            }
            await running.stop()
        }
    }
}
