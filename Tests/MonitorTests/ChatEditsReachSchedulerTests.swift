import BSON
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

@testable import Monitor

/// Edits, pauses and deletes reach the scheduler at once, and a result checked before one of them
/// changes nothing: no state written over the edit, no alert. Reloads are a minute apart here, so
/// only the announcement can tell the scheduler in time.
struct ChatEditsReachSchedulerTests {
    enum Edit: String, CaseIterable, CustomTestStringConvertible {
        case newTarget, pause, delete
        var testDescription: String { rawValue }
    }

    @Test(arguments: Edit.allCases)
    func aLateResultOfTheOldTargetNeitherOverwritesTheEditNorAlerts(_ edit: Edit) async throws {
        let origin = try await LocalHTTPServer.shared()
        try await withMigratedDatabase { db, repos in
            try await withHarness(repositories: repos) { harness in
                try await repos.users.upsert(user(1, language: "en"))
                // The old target answers after 10 s; the check gives up after 3 s and fails.
                let monitor = MonitorRecord(
                    ownerID: 1, kind: .http, target: origin.url("/sleep/10?edit=\(edit)"), name: "old")
                try await repos.monitors.create(monitor)
                let feed = MonitorChangeFeed()
                let service = RunningService(
                    MonitorService(
                        repositories: repos, pinger: nil, http: harness.http,
                        configuration: fastConfiguration(failures: 1, refresh: .seconds(60), checkTimeout: .seconds(3)),
                        changes: feed, logger: testLogger))
                // The first check starts within the 1-second interval and lasts 3 s: edit while it is in flight.
                try await Task.sleep(for: .milliseconds(1500))
                switch edit {
                case .newTarget:
                    _ = try await repos.monitors.update(
                        monitor.id, ownerID: 1, MonitorChanges(target: origin.url("/status/200?edit=new")))
                case .pause:
                    _ = try await repos.monitors.update(monitor.id, ownerID: 1, MonitorChanges(enabled: false))
                case .delete:
                    _ = try await repos.monitors.delete(monitor.id, ownerID: 1)
                }
                feed.announce(monitor.id)
                try await Task.sleep(for: .seconds(5))  // the late result arrives and is flushed meanwhile
                await service.stop()

                let stored = try await repos.monitors.get(monitor.id)
                #expect(stored?.status != .down, "the old target's failure was written over the edit")
                let alerts = try await db.collection("outbox").count()
                #expect(alerts == 0, "an alert about the old target or a paused/deleted monitor")
                #expect(try await repos.monitors.pendingAlerts().isEmpty)
                if edit == .newTarget {
                    #expect(stored?.lastCheck?.ok == true, "the new target is checked at once")
                }
            }
        }
    }

    @Test func aStateCheckedUnderAnOlderRevisionIsNotWritten() async throws {
        try await withMigratedDatabase { _, repos in
            let monitor = MonitorRecord(ownerID: 1, kind: .http, target: "http://127.0.0.1:9/a", name: "m")
            try await repos.monitors.create(monitor)
            _ = try await repos.monitors.update(
                monitor.id, ownerID: 1, MonitorChanges(target: "http://127.0.0.1:9/b"))
            let at = Date()
            let alert = PendingAlert(
                dedupeKey: "alert:\(monitor.id.hex):down:1", chatID: 1, text: "down", notBefore: at, createdAt: at)
            try await repos.monitors.recordChecks([
                monitor.id: MonitorCheckState(
                    status: .down, statusSince: at, failStreak: 1, successStreak: 0,
                    lastCheck: LastCheck(at: at, ok: false),
                    transitions: 1, alerts: [alert], revision: 0)
            ])
            let stored = try #require(try await repos.monitors.get(monitor.id))
            #expect(stored.revision == 1 && stored.status == .unknown && stored.pendingAlerts.isEmpty)
        }
    }
}
