import Foundation
import Storage
import TestSupport
import Testing

@testable import Monitor

/// Storage going away mid-sweep: checks go on, results wait in memory, nothing is lost or crashes.
struct StorageOutageTests {
    @Test func storageOutageDuringSweepsKeepsCheckingAndWritesEverythingWhenBack() async throws {
        let origin = try await LocalHTTPServer.shared()
        let storage = FlakyStorage()
        try await withHarness(repositories: storage.repositories) { harness in
            let memory = storage.memory
            try await memory.users.upsert(user(1))
            let site = MonitorRecord(ownerID: 1, kind: .http, target: origin.url("/status/500"), name: "site")
            try await memory.monitors.create(site)
            let service = harness.startMonitor(fastConfiguration(failures: 3))
            try await eventually("the first check is stored") {
                try await memory.monitors.get(site.id)?.lastCheck != nil
            }

            storage.isDown = true
            let storedBefore = try await memory.checks.recent(monitorID: site.id, limit: 1000).count
            // Checks every second: the third failure and the down transition, all in memory.
            try await Task.sleep(for: .seconds(6))
            #expect(try await memory.checks.recent(monitorID: site.id, limit: 1000).count == storedBefore)
            #expect(try await memory.outbox.pendingCount() == 0)

            storage.isDown = false
            try await eventually("the buffered state, alert and history are written", timeout: .seconds(20)) {
                let down = try await memory.monitors.get(site.id)?.status == .down
                let pending = try await memory.outbox.pendingCount()
                return down && pending == 1
            }
            #expect(
                try await memory.checks.recent(monitorID: site.id, limit: 1000).count >= storedBefore + 3,
                "the results checked during the outage are in the history")
            await service.stop()
        }
    }
}
