import BSON
import Foundation
import Storage
import Testing

/// A state and its alerts land in one write; moved alerts are cleared, and a retry adds nothing twice.
struct PendingAlertStorageTests {
    @Test(arguments: Backend.allCases)
    func alertsWrittenWithAStateStayOnTheMonitorUntilClearedAndARetryAddsNothingTwice(_ backend: Backend)
        async throws
    {
        try await backend.withRepositories { repos in
            let monitor = MonitorRecord(ownerID: 5, kind: .http, target: "http://127.0.0.1:9/", name: "site")
            try await repos.monitors.create(monitor)
            let at = Date(timeIntervalSince1970: 1_800_000_000)
            let alert = PendingAlert(
                dedupeKey: "alert:\(monitor.id.hex):down:1", chatID: 5, text: "down", notBefore: at, createdAt: at)
            let state = MonitorCheckState(
                status: .down, statusSince: at, failStreak: 3, successStreak: 0,
                lastCheck: LastCheck(at: at, ok: false), transitions: 1, alerts: [alert])
            try await repos.monitors.recordChecks([monitor.id: state])
            try await repos.monitors.recordChecks([monitor.id: state])  // a retry after a lost reply

            #expect(try await repos.monitors.pendingAlerts() == [monitor.id: [alert]])
            let stored = try #require(try await repos.monitors.get(monitor.id))
            #expect(stored.status == .down && stored.transitions == 1)

            try await repos.monitors.clearPendingAlerts(monitor.id, keys: [alert.dedupeKey])
            #expect(try await repos.monitors.pendingAlerts().isEmpty)
        }
    }
}
