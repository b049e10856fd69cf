import BSON
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

@testable import Monitor

/// The whole path on the real mongod: a site fails, its owner hears it is down, it comes back,
/// the owner hears that — with the monitor and the sender restarted in the middle.
struct AlertCycleEndToEndTests {
    @Test func downNotifyRecoverNotifyAcrossARestartWithoutDuplicatesOrLosses() async throws {
        let site = try await SwitchableSite.start()
        defer { Task { await site.stop() } }
        try await withMigratedDatabase { database, repos in
            try await withHarness(repositories: repos) { harness in
                try await repos.users.upsert(user(42, language: "en"))
                let monitor = MonitorRecord(ownerID: 42, kind: .http, target: site.url, name: "Billing API")
                try await repos.monitors.create(monitor)
                let configuration = fastConfiguration(failures: 2, successes: 2)

                // First run: up, then failing long enough to go down and to stay down past the restart.
                var service = harness.startMonitor(configuration)
                var sender = harness.startSender()
                try await eventually("the site is up") { try await repos.monitors.get(monitor.id)?.status == .up }
                site.fail(next: 8)
                try await eventually("the site is down in storage") {
                    try await repos.monitors.get(monitor.id)?.status == .down
                }
                // Stop at once: the alert may or may not have gone out yet; either way it must arrive exactly once.
                await service.stop()
                await sender.stop()
                _ = try #require(try await repos.monitors.get(monitor.id)?.statusSince)

                // Second run on the same database: state comes from storage.
                service = harness.startMonitor(configuration)
                sender = harness.startSender()
                try await harness.fake.waitForMessages(chat: 42, count: 2, timeout: .seconds(25))
                try await Task.sleep(for: .seconds(3))  // room for a duplicate to show up
                await service.stop()
                await sender.stop()

                let texts = harness.texts(in: 42)
                #expect(texts.count == 2, "\(texts)")
                #expect(texts.first?.contains("Billing API is down") == true)
                #expect(texts.first?.contains("Reason: HTTP status 503") == true)
                #expect(texts.last?.contains("Billing API is back up") == true)
                #expect(texts.last?.contains("Was down for") == true)

                let stored = try #require(try await repos.monitors.get(monitor.id))
                #expect(stored.status == .up && stored.lastCheck?.ok == true)
                let outbox = database.collection("outbox")
                #expect(try await outbox.count(["state": "sent"]) == 2)
                let keys = try await outbox.find().compactMap { $0["dedupe_key"]?.stringValue }
                #expect(
                    keys.filter { $0.hasPrefix("alert:\(monitor.id.hex):down:") } == [
                        AlertComposer.dedupeKey(monitorID: monitor.id, transition: "down", counter: 1)
                    ])
                let history = try await repos.checks.recent(monitorID: monitor.id, limit: 1000)
                #expect(
                    history.filter { !$0.ok }.count >= 2
                        && history.contains { $0.error == "unexpected_status" && $0.httpStatus == 503 })
            }
        }
    }
}
