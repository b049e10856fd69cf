import BSON
import Curl
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

@testable import Monitor

/// The slow state on the whole path, on the real mongod: a site on loopback that answers late,
/// then on time again. Its owner hears "slow" and "fast again" (never "down"), through the
/// monitor's transition counter and the outbox like any alert.
struct SlowStateEndToEndTests {
    @Test func aSiteThatAnswersLateTurnsSlowAndRecoversWithItsOwnAlerts() async throws {
        let origin = try await LocalHTTPServer()
        defer { origin.stop() }
        try await withMigratedDatabase { database, repos in
            try await withHarness(repositories: repos) { harness in
                func setDelay(_ seconds: String) async throws {
                    _ = try await harness.http.execute(HTTPRequest(url: origin.url("/set-delay/\(seconds)")))
                }
                try await repos.users.upsert(user(77, language: "en"))
                let monitor = MonitorRecord(
                    ownerID: 77, kind: .http, target: origin.url("/late"), name: "Checkout")
                try await repos.monitors.create(monitor)
                _ = try await repos.monitors.update(
                    monitor.id, ownerID: 77, MonitorChanges(options: MonitorOptions(slowThresholdMs: 400)))
                let service = harness.startMonitor(fastConfiguration(failures: 2, successes: 2))
                let sender = harness.startSender()
                try await eventually("the site is up") { try await repos.monitors.get(monitor.id)?.status == .up }

                try await setDelay("0.9")
                try await harness.fake.waitForMessages(chat: 77, count: 1, timeout: .seconds(30))
                let slow = try #require(try await repos.monitors.get(monitor.id))
                #expect(slow.status == .up && slow.slow.active)
                try await setDelay("0")
                try await harness.fake.waitForMessages(chat: 77, count: 2, timeout: .seconds(30))
                try await eventually("the slow state is over in storage") {
                    try await repos.monitors.get(monitor.id)?.slow.active == false
                }
                await service.stop()
                await sender.stop()

                let texts = harness.texts(in: 77)
                #expect(texts.count == 2, "\(texts)")
                #expect(texts.first?.contains("🟡 Checkout is slow") == true, "\(texts)")
                #expect(texts.first?.contains("over the 400 ms threshold") == true)
                #expect(texts.last?.contains("🟢 Checkout is fast again") == true)
                #expect(texts.last?.contains("Was slow for") == true)
                #expect(!texts.contains { $0.contains("is down") })
                let keys = try await database.collection("outbox").find().compactMap { $0["dedupe_key"]?.stringValue }
                #expect(keys.count == 2)
                #expect(keys.contains { $0.hasPrefix("alert:\(monitor.id.hex):slow:") })
                #expect(keys.contains { $0.hasPrefix("alert:\(monitor.id.hex):fast:") })
                // The history marks slow checks, and the uptime figures count them.
                let uptime = try await repos.checks.uptime(
                    monitorID: monitor.id, since: Date().addingTimeInterval(-3600))
                #expect(uptime.slow >= 2 && uptime.ok == uptime.total, "\(uptime)")
            }
        }
    }
}
