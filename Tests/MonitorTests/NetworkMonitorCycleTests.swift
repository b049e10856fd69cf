import Foundation
import Storage
import TestSupport
import Testing

@testable import Monitor

/// TCP and DNS monitors through the scheduler's usual path: checked, up, then down after K failures
/// with the owner alerted, with the reason in the owner's words. Real listeners on loopback.
struct NetworkMonitorCycleTests {
    @Test func aTCPPortThatClosesGoesDownAndItsOwnerIsAlerted() async throws {
        let server = try await TCPTestServer(banner: "SSH-2.0-Test\r\n")
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(51, language: "en"))
            let monitor = MonitorRecord(
                ownerID: 51, kind: .tcp, target: "tcp://127.0.0.1:\(server.port)?expect=SSH-2.0", name: "ssh")
            try await repos.monitors.create(monitor)
            let service = harness.startMonitor(fastConfiguration(failures: 2))
            let sender = harness.startSender()
            try await eventually("the port is up") { try await repos.monitors.get(monitor.id)?.status == .up }
            await server.stop()
            try await eventually("the port is down") { try await repos.monitors.get(monitor.id)?.status == .down }
            try await harness.fake.waitForMessages(chat: 51, count: 1, timeout: .seconds(20))
            await service.stop()
            await sender.stop()
            let text = harness.texts(in: 51).first ?? ""
            #expect(text.contains("ssh is down"), "\(text)")
            // The check in flight when the listener closed may see the connection drop before the greeting;
            // the later ones are refused. Either is the reason the alert names.
            #expect(
                text.contains("connection refused") || text.contains("the reply lacks “SSH-2.0”"), "\(text)")
        }
    }

    @Test(.enabled(if: DnsmasqServer.isAvailableOrRequired))
    func aDNSNameWhoseServerStopsGoesDownAndItsOwnerIsAlerted() async throws {
        let dns = try await DnsmasqServer(["host-record=app.test.lan,10.7.7.7", "local=/test.lan/"])
        defer { dns.stop() }
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(52, language: "ru"))
            let monitor = MonitorRecord(
                ownerID: 52, kind: .dns, target: "dns://127.0.0.1:\(dns.port)/app.test.lan?type=A&expect=10.7.7.7",
                name: "app-dns")
            try await repos.monitors.create(monitor)
            let service = harness.startMonitor(fastConfiguration(failures: 2))
            let sender = harness.startSender()
            try await eventually("the name resolves") { try await repos.monitors.get(monitor.id)?.status == .up }
            dns.stop()
            try await eventually("the name is down") { try await repos.monitors.get(monitor.id)?.status == .down }
            try await harness.fake.waitForMessages(chat: 52, count: 1, timeout: .seconds(20))
            await service.stop()
            await sender.stop()
            let text = harness.texts(in: 52).first ?? ""
            #expect(text.contains("app-dns"), "\(text)")
        }
    }
}
