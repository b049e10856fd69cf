import BSON
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

@testable import Monitor

/// A site whose certificate (made by the test, signed by the test's CA) expires in 10 days: its
/// owner gets the 14-day warning once — not again at the next checks — with the expiry date and
/// issuer, and the item view's data (`certificate`) is stored on the monitor.
struct CertificateWarningEndToEndTests {
    @Test func aCertificateExpiringInTenDaysGetsTheFourteenDayWarningOnce() async throws {
        let certificates = try await Self.expiringInTenDays()
        defer { certificates.remove() }
        let origin = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { origin.stop() }
        try await withMigratedDatabase { database, repos in
            try await withHarness(repositories: repos) { harness in
                try await repos.users.upsert(user(88, language: "en"))
                let monitor = MonitorRecord(ownerID: 88, kind: .http, target: origin.url("/status/200"), name: "Portal")
                try await repos.monitors.create(monitor)
                var configuration = fastConfiguration()
                configuration.caBundlePath = certificates.caPath
                let service = harness.startMonitor(configuration)
                let sender = harness.startSender()
                try await harness.fake.waitForMessages(chat: 88, count: 1, timeout: .seconds(30))
                // Several more checks with the same certificate: no second warning.
                let checked = try await repos.checks.recent(monitorID: monitor.id, limit: 100).count
                try await eventually("three more checks") {
                    try await repos.checks.recent(monitorID: monitor.id, limit: 100).count >= checked + 3
                }
                await service.stop()
                await sender.stop()

                let texts = harness.texts(in: 88)
                #expect(texts.count == 1, "\(texts)")
                let warning = try #require(texts.first)
                #expect(warning.contains("⏳ The TLS certificate of Portal expires in 10 days"), "\(warning)")
                #expect(
                    warning.contains("Issuer: CN=UptimeBot Test CA")
                        || warning.contains("Issuer: CN = UptimeBot Test CA"), "\(warning)")
                let stored = try #require(try await repos.monitors.get(monitor.id)?.certificate)
                #expect(stored.warned == [30, 14])
                #expect(stored.issuer?.contains("UptimeBot Test CA") == true)
                #expect(stored.serial != nil)
                #expect(abs(stored.notAfter.timeIntervalSince(try #require(certificates.notAfter))) < 1)
                let keys = try await database.collection("outbox").find().compactMap { $0["dedupe_key"]?.stringValue }
                #expect(keys.count == 1 && keys[0].hasPrefix("alert:\(monitor.id.hex):cert14:"), "\(keys)")
                // Read back from MongoDB as the item view reads it.
                let document = try #require(
                    try await database.collection("monitors").findOne(["_id": .objectId(monitor.id)]))
                #expect(document["certificate"] != nil)
            }
        }
    }

    @Test func aCertificateWarningIsGroupedWithASimultaneousDownAlert() async throws {
        let certificates = try await Self.expiringInTenDays()
        defer { certificates.remove() }
        let secure = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { secure.stop() }
        let plain = try await LocalHTTPServer.shared()
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(90, language: "en"))
            let billing = MonitorRecord(
                ownerID: 90, kind: .http, target: plain.url("/status/503?grouped"), name: "Billing")
            try await repos.monitors.create(billing)
            var configuration = fastConfiguration(failures: 4)
            configuration.caBundlePath = certificates.caPath
            let service = harness.startMonitor(configuration)
            var outbox = fastOutbox
            outbox.groupingWindow = .seconds(8)
            let sender = harness.startSender(outbox)
            // Billing is on its way down (failing, not down yet) when Portal's first check warns.
            try await eventually("Billing has failed once") {
                try await repos.monitors.get(billing.id)?.failStreak ?? 0 >= 1
            }
            try await repos.monitors.create(
                MonitorRecord(ownerID: 90, kind: .http, target: secure.url("/status/200"), name: "Portal"))
            let first = try await harness.fake.waitForMessages(chat: 90, count: 1, timeout: .seconds(30))
            await service.stop()
            await sender.stop()
            let text = try #require(first.first?.text)
            #expect(text.hasPrefix("📣 2 changes at once"), "\(text)")
            #expect(text.contains("Portal expires in 10 days") && text.contains("Billing is down"), "\(text)")
        }
    }

    @Test func anOwnerWhoSwitchedWarningsOffGetsNone() async throws {
        let certificates = try await Self.expiringInTenDays()
        defer { certificates.remove() }
        let origin = try await LocalHTTPServer(tls: certificates.serverFiles)
        defer { origin.stop() }
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(89, language: "en", settings: UserSettings(certificateWarnings: false)))
            let monitor = MonitorRecord(ownerID: 89, kind: .http, target: origin.url("/status/200"), name: "Quiet")
            try await repos.monitors.create(monitor)
            var configuration = fastConfiguration()
            configuration.caBundlePath = certificates.caPath
            let service = harness.startMonitor(configuration)
            let sender = harness.startSender()
            try await eventually("the certificate is recorded") {
                try await repos.monitors.get(monitor.id)?.certificate != nil
            }
            try await eventually("two more checks") {
                try await repos.checks.recent(monitorID: monitor.id, limit: 100).count >= 3
            }
            await service.stop()
            await sender.stop()
            #expect(harness.texts(in: 89).isEmpty)
            #expect(try await repos.monitors.get(monitor.id)?.certificate?.warned == [])
        }
    }

    /// Signed by the test's CA, valid since yesterday, expiring 10 days from now.
    static func expiringInTenDays() async throws -> TestCertificates {
        let now = Date()
        return try await TestCertificates.caSignedLeaf(
            notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(10 * 86_400))
    }
}
