import BSON
import Foundation
import Storage
import TestSupport
import Testing

@testable import Monitor

/// Stopping means stopped: after `run()` returns nothing is checked or written any more, and what
/// was checked before is written.
struct ServiceStopTests {
    func historyCount(_ repos: Repositories, _ id: ObjectId) async throws -> Int {
        try await repos.checks.recent(monitorID: id, limit: 10_000).count
    }

    @Test(arguments: [false, true])
    func stoppedServiceChecksAndWritesNothingMore(graceful: Bool) async throws {
        let origin = try await LocalHTTPServer.shared()
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(1))
            let site = MonitorRecord(
                ownerID: 1, kind: .http, target: origin.url("/status/200?stop=\(graceful)"), name: "site")
            try await repos.monitors.create(site)
            let service = MonitorService(
                repositories: repos, pinger: nil, http: harness.http, configuration: fastConfiguration(),
                logger: testLogger)
            if graceful {
                let running = RunningService(service)
                try await eventually("the site is checked") { try await repos.monitors.get(site.id)?.lastCheck != nil }
                await running.stop()
            } else {
                let task = Task { try await service.run() }
                try await eventually("the site is checked") { try await repos.monitors.get(site.id)?.lastCheck != nil }
                task.cancel()
                _ = await task.result
            }
            let afterStop = try await historyCount(repos, site.id)
            #expect(afterStop >= 1, "what was checked before the stop is written")
            try await Task.sleep(for: .seconds(3))
            #expect(try await historyCount(repos, site.id) == afterStop, "nothing is checked after the stop")
        }
    }
}
