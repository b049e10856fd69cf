import BSON
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

/// The per-monitor options, slow state and certificate in MongoDB: absent in old documents, odd
/// when edited by hand, and kept whole through the chat's updates and the monitor's state writes.
struct MonitorOptionsStorageTests {
    @Test func aDocumentFromBeforeTheOptionsReadsAsNothingChosen() async throws {
        try await TestMongo.withDatabase { db in
            let repos = Repositories.mongo(database: db, logger: TestMongo.logger)
            let id = ObjectId()
            try await db.collection("monitors").insertOne([
                "_id": .objectId(id), "owner_id": 1, "kind": "http", "target": "https://old.example/",
            ])
            let monitor = try #require(try await repos.monitors.get(id))
            #expect(monitor.options == MonitorOptions() && monitor.slow == SlowState() && monitor.certificate == nil)
        }
    }

    @Test func handEditedOptionsAreClampedOrIgnoredAndTheMonitorStillLoads() async throws {
        try await TestMongo.withDatabase { db in
            let repos = Repositories.mongo(database: db, logger: TestMongo.logger)
            let id = ObjectId()
            try await db.collection("monitors").insertOne([
                "_id": .objectId(id), "owner_id": 1, "kind": "http", "target": "https://edited.example/",
                "options": [
                    "timeout": .int64(.max), "slow_ms": -5, "failures_before_alert": "three", "method": "DELETE",
                    "expected_status": "999-1", "header": ["name": "X-Evil", "value": "a\r\nInjected: 1"],
                ],
                "slow": ["active": "yes", "streak": .int64(.max)],
                "certificate": ["issuer": "CN=no expiry"],
            ])
            let monitor = try #require(try await repos.monitors.get(id))
            #expect(monitor.options.timeoutSeconds == MonitorOptions.timeoutRange.upperBound)
            #expect(monitor.options.slowThresholdMs == 1)
            #expect(monitor.options.failuresBeforeAlert == nil)
            #expect(monitor.options.method == nil)
            #expect(monitor.options.header == nil)
            #expect(monitor.options.parsedExpectedStatus == nil)
            #expect(monitor.slow.active == false && monitor.slow.streak == StoredNumbers.maxCount)
            #expect(monitor.certificate == nil)
        }
    }

    @Test func chatChangesAndStateWritesKeepEachOther() async throws {
        try await TestMongo.withDatabase { db in
            let repos = Repositories.mongo(database: db, logger: TestMongo.logger)
            let monitor = MonitorRecord(ownerID: 5, kind: .http, target: "https://kept.example/", name: "kept")
            try await repos.monitors.create(monitor)
            let options = MonitorOptions(
                slowThresholdMs: 700, expectedStatus: "200,204", keywordAbsent: true, method: "HEAD",
                header: MonitorHeader(name: "Authorization", value: "Bearer xyz"))
            _ = try await repos.monitors.update(
                monitor.id, ownerID: 5, MonitorChanges(options: options, keyword: .some("error"), intervalSeconds: 120))
            let certificate = CertificateRecord(
                notAfter: Date(timeIntervalSince1970: 1_900_000_000), issuer: "CN=CA", serial: "0A", warned: [30])
            try await repos.monitors.recordChecks([
                monitor.id: MonitorCheckState(
                    status: .up, statusSince: Date(), failStreak: 0, successStreak: 1,
                    lastCheck: LastCheck(at: Date(), ok: true), slow: SlowState(active: true, since: Date(), streak: 0),
                    certificate: certificate)
            ])
            var stored = try #require(try await repos.monitors.get(monitor.id))
            #expect(stored.options == options && stored.keyword == "error" && stored.intervalSeconds == 120)
            #expect(stored.slow.active && stored.certificate == certificate)
            // Clearing the keyword and the interval unsets them; the options stay.
            _ = try await repos.monitors.update(
                monitor.id, ownerID: 5, MonitorChanges(keyword: .some(nil), intervalSeconds: .some(nil)))
            stored = try #require(try await repos.monitors.get(monitor.id))
            #expect(stored.keyword == nil && stored.intervalSeconds == nil && stored.options == options)
            let document = try #require(try await db.collection("monitors").findOne(["_id": .objectId(monitor.id)]))
            #expect(document["keyword"] == nil && document["interval"] == nil)
            // A new target starts over: not slow, no certificate.
            _ = try await repos.monitors.update(monitor.id, ownerID: 5, MonitorChanges(target: "https://new.example/"))
            stored = try #require(try await repos.monitors.get(monitor.id))
            #expect(stored.slow == SlowState() && stored.certificate == nil && stored.options == options)
        }
    }
}

struct MonitorHeaderMaskingTests {
    @Test func aHeaderPrintedAnyWayShowsOnlyItsMask() {
        let header = MonitorHeader(name: "Authorization", value: "Bearer 0123456789abcdef")
        let monitor = MonitorRecord(
            ownerID: 1, kind: .http, target: "https://x.example/", name: "x",
            intervalSeconds: nil)
        var withHeader = monitor
        withHeader.options.header = header
        for text in ["\(header)", String(reflecting: header), "\(withHeader)", String(reflecting: withHeader.options)] {
            #expect(!text.contains("0123456789"), "\(text)")
        }
        #expect(header.maskedValue == "Bea…••••")
        #expect(MonitorHeader(name: "X-Key", value: "short").maskedValue == "••••")
    }
}
