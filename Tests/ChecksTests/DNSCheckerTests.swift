import Checks
import DNS
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// DNS checks through c-ares against a real dnsmasq on loopback with records this suite writes:
/// each record type, expected answers (contains, equals), NXDOMAIN, SERVFAIL (a DNSSEC-validating
/// dnsmasq in front of the unsigned one), a UDP socket that never answers, and the target policy.
@Suite(.serialized, .enabled(if: DnsmasqServer.isAvailableOrRequired))
struct DNSCheckerTests {
    static let records = [
        "host-record=www.test.lan,10.1.2.3,2001:db8::3", "host-record=www.test.lan,10.1.2.4",
        "cname=alias.test.lan,www.test.lan", "mx-host=test.lan,mail.test.lan,10",
        "txt-record=test.lan,\"v=spf1 -all\"", "local=/test.lan/",
    ]

    let checker = DNSChecker()

    func check(_ target: String, admin: Bool = true, timeout: Duration = .seconds(5), with checker: DNSChecker? = nil)
        async throws -> TargetCheckResult
    {
        try await (checker ?? self.checker).check(
            CheckTarget(kind: .dns, target: target, ownerIsAdmin: admin), timeout: timeout)
    }

    @Test func everyRecordTypeIsAnsweredAndMatched() async throws {
        let dns = try await DnsmasqServer(Self.records)
        defer { dns.stop() }
        let server = "dns://127.0.0.1:\(dns.port)"
        #expect(try await check("\(server)/www.test.lan?type=A&expect=10.1.2.4").ok)
        #expect(try await check("\(server)/www.test.lan?type=A&expect=10.1.2.3&match=equals").ok)
        #expect(try await check("\(server)/www.test.lan?type=AAAA&expect=2001:db8::3&match=equals").ok)
        #expect(try await check("\(server)/alias.test.lan?type=CNAME&expect=www.test.lan&match=equals").ok)
        #expect(try await check("\(server)/test.lan?type=MX&expect=10%20mail.test.lan&match=equals").ok)
        #expect(try await check("\(server)/test.lan?type=TXT&expect=spf1").ok)
        #expect(try await check("\(server)/www.test.lan").ok)
    }

    @Test func aWrongAnswerIsAMismatchThatQuotesWhatCame() async throws {
        let dns = try await DnsmasqServer(Self.records)
        defer { dns.stop() }
        let result = try await check("dns://127.0.0.1:\(dns.port)/www.test.lan?type=A&expect=10.1.2&match=equals")
        #expect(result.failure?.code == "dns_answer_mismatch")
        guard case .dnsAnswerMismatch(let expected, let received)? = result.failure else { return }
        #expect(expected == "10.1.2")
        #expect(received.contains("10.1.2.3") && received.contains("10.1.2.4"))
        let noRecords = try await check("dns://127.0.0.1:\(dns.port)/alias.test.lan?type=MX")
        #expect(noRecords.failure == .dnsNoRecords(type: "MX"))
    }

    @Test func nxdomainFailsUnlessItIsTheExpectedCode() async throws {
        let dns = try await DnsmasqServer(Self.records)
        defer { dns.stop() }
        let missing = try await check("dns://127.0.0.1:\(dns.port)/nope.test.lan")
        #expect(missing.failure == .dnsResponseCode(expected: "NOERROR", received: "NXDOMAIN"))
        #expect(try await check("dns://127.0.0.1:\(dns.port)/nope.test.lan?rcode=NXDOMAIN").ok)
        let present = try await check("dns://127.0.0.1:\(dns.port)/www.test.lan?rcode=NXDOMAIN")
        #expect(present.failure == .dnsResponseCode(expected: "NXDOMAIN", received: "NOERROR"))
    }

    @Test func servfailIsReportedAsTheServerSentIt() async throws {
        let records = try await DnsmasqServer(Self.records)
        let failing = try await DnsmasqServer.failingInFrontOf(records)
        defer {
            failing.stop()
            records.stop()
        }
        let result = try await check("dns://127.0.0.1:\(failing.port)/www.test.lan")
        #expect(result.failure == .dnsResponseCode(expected: "NOERROR", received: "SERVFAIL"))
        #expect(try await check("dns://127.0.0.1:\(failing.port)/www.test.lan?rcode=SERVFAIL").ok)
    }

    @Test func aServerThatNeverAnswersTimesOutAtTheDeadline() async throws {
        let silent = try SilentUDPSocket()
        defer { silent.close() }
        let result = try await check("dns://127.0.0.1:\(silent.port)/www.test.lan", timeout: .milliseconds(300))
        #expect(result.failure == .timeout)
    }

    @Test func manyQueriesAtOnceAreAllAnswered() async throws {
        let dns = try await DnsmasqServer(Self.records)
        defer { dns.stop() }
        let checker = self.checker
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<300 {
                let name = index.isMultiple(of: 2) ? "www.test.lan?expect=10.1.2.3" : "nope.test.lan?rcode=NXDOMAIN"
                group.addTask {
                    try await checker.check(
                        CheckTarget(kind: .dns, target: "dns://127.0.0.1:\(dns.port)/\(name)", ownerIsAdmin: true),
                        timeout: .seconds(10)
                    ).ok
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 300)
        #expect(results.allSatisfy { $0 })
    }

    @Test func thePolicyJudgesTheServerAddress() async throws {
        let dns = try await DnsmasqServer(Self.records)
        defer { dns.stop() }
        let guarded = DNSChecker(policy: TargetPolicy())
        let refused = try await check("dns://127.0.0.1:\(dns.port)/www.test.lan", admin: false, with: guarded)
        #expect(
            refused.failure
                == .deniedByPolicy(reason: "127.0.0.1 is denied by the target policy (loopback is for admins only)"))
        #expect(try await check("dns://127.0.0.1:\(dns.port)/www.test.lan", admin: true, with: guarded).ok)
    }
}

/// A UDP socket bound on loopback that never reads: a DNS server that never answers.
struct SilentUDPSocket {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw ServerProcessError("could not bind a UDP socket on loopback") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
