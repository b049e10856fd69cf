import BSON
import Foundation
import Storage
import Synchronization
import TestSupport
import Testing

@testable import Monitor

/// A time of day the test can step back, as a VM resume or an NTP correction does.
final class SteppableWallClock: WallClock {
    private let offset = Mutex<TimeInterval>(0)
    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func step(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

/// Checks follow a monotonic clock: a step of the time of day changes timestamps, not the schedule.
struct WallClockStepTests {
    @Test func checksGoOnAtTheirIntervalAfterTheWallClockStepsBackAnHour() async throws {
        let origin = try await LocalHTTPServer.shared()
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(1))
            let site = MonitorRecord(
                ownerID: 1, kind: .http, target: origin.url("/status/200?clock=step"), name: "site")
            try await repos.monitors.create(site)
            let clock = SteppableWallClock()
            let running = RunningService(
                MonitorService(
                    repositories: repos, pinger: nil, http: harness.http, configuration: fastConfiguration(),
                    wallClock: clock, logger: testLogger))
            func checks() async throws -> Int { try await repos.checks.recent(monitorID: site.id, limit: 1000).count }
            try await eventually("the site is checked") { try await checks() >= 2 }

            clock.step(by: -3600)
            let before = try await checks()
            do {
                // 1-second interval: three more checks come within seconds, not after the hour.
                try await eventually("checks go on after the step", timeout: .seconds(20)) {
                    try await checks() >= before + 3
                }
            } catch {
                await running.stop()
                throw error
            }
            await running.stop()
            let latest = try #require(try await repos.monitors.get(site.id)?.lastCheck?.at)
            #expect(latest < Date().addingTimeInterval(-3000), "results carry the stepped time of day")
        }
    }
}
