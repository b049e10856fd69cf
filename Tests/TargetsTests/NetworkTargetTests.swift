import Testing

@testable import Targets

struct NetworkTargetTests {
    @Test(arguments: [
        ("tcp://example.org:22", "tcp://example.org:22"), ("Example.ORG:443", "tcp://example.org:443"),
        ("[2001:DB8::1]:25", "tcp://[2001:db8::1]:25"), ("tcp://10.0.0.1:25/", "tcp://10.0.0.1:25"),
        ("tcp://mail.local:25?send=EHLO%20x%0D%0A&expect=250", "tcp://mail.local:25?send=EHLO%20x%0D%0A&expect=250"),
        ("tcp://h:22?expect=SSH-2.0", "tcp://h:22?expect=SSH-2.0"),
    ])
    func tcpTargetsAreWrittenOneWay(_ input: String, _ expected: String) throws {
        #expect(try TCPTarget(parsing: input).description == expected)
    }

    @Test func theSendTextMayHoldLineBreaks() throws {
        #expect(try TCPTarget(parsing: "tcp://h:25?send=QUIT%0D%0A").send == "QUIT\r\n")
    }

    @Test(arguments: [
        ("h:0", NetworkTargetError.invalidPort), ("h:65536", .invalidPort), ("h:-1", .invalidPort),
        ("h:2x", .invalidPort), ("tcp://h", .missingPort), ("my host:22", .invalidHost),
        ("tcp://2001:db8::1:22", .invalidHost), ("tcp://h:22?foo=1", .unknownParameter("foo")),
        ("tcp://h:22?expect=", .invalidParameter("expect")),
        ("tcp://h:22?expect=a&expect=b", .invalidParameter("expect")),
        ("tcp://h:22?expect=%zz", .invalidParameter("expect")),
    ])
    func tcpTargetsRefuseBadPortsAndHosts(_ input: String, _ error: NetworkTargetError) {
        #expect(throws: error) { try TCPTarget(parsing: input) }
    }

    @Test func sendAndExpectTextsAreCapped() {
        let long = String(repeating: "a", count: TCPTarget.maxSendBytes + 1)
        #expect(throws: NetworkTargetError.sendTooLong(limit: TCPTarget.maxSendBytes)) {
            try TCPTarget(parsing: "tcp://h:1?send=\(long)")
        }
        let expect = String(repeating: "b", count: 10_000)
        #expect(throws: NetworkTargetError.expectTooLong(limit: TCPTarget.maxExpectBytes)) {
            try TCPTarget(parsing: "tcp://h:1?expect=\(expect)")
        }
        #expect(throws: NetworkTargetError.expectTooLong(limit: DNSTarget.maxExpectBytes)) {
            try DNSTarget(parsing: "dns:///h?expect=\(expect)")
        }
    }

    @Test(arguments: [
        ("dns:///Intranet.Corp.", "dns:///intranet.corp?type=A"), ("intranet.corp", "dns:///intranet.corp?type=A"),
        (
            "dns://127.0.0.1:5353/a.test?type=mx&expect=10%20mx.a.test&match=equals",
            "dns://127.0.0.1:5353/a.test?type=MX&expect=10%20mx.a.test&match=equals"
        ),
        ("dns://[::1]/a.test?type=AAAA&rcode=nxdomain", "dns://[::1]/a.test?type=AAAA&rcode=NXDOMAIN"),
        ("dns://ns1.corp/_sip._tcp.corp?type=TXT", "dns://ns1.corp/_sip._tcp.corp?type=TXT"),
    ])
    func dnsTargetsAreWrittenOneWay(_ input: String, _ expected: String) throws {
        #expect(try DNSTarget(parsing: input).description == expected)
    }

    @Test(arguments: [
        ("dns:///a..b", NetworkTargetError.emptyLabel), ("dns:///.a", .emptyLabel), ("dns:///a b", .nameHasSpaces),
        ("dns:///a%20b", .nameHasSpaces), ("dns:///", .missingName), ("dns://1.2.3.4", .missingName),
        ("dns://1.2.3.4:0/a", .invalidPort), ("dns://1.2.3.4:65536/a", .invalidPort),
        ("dns:///a?type=SOA", .unknownRecordType("SOA")), ("dns:///a?rcode=BAD", .unknownResponseCode("BAD")),
        ("dns:///a?match=regex", .unknownMatch("regex")), ("dns:///a?send=x", .unknownParameter("send")),
        ("dns://bad host/a", .invalidHost), ("dns:///a!b", .invalidName),
    ])
    func dnsTargetsRefuseBadNames(_ input: String, _ error: NetworkTargetError) {
        #expect(throws: error) { try DNSTarget(parsing: input) }
    }

    @Test(arguments: [
        ("tcp://h:1", TargetKind.tcp), ("h:22", .tcp), ("[::1]:22", .tcp), ("dns:///a", .dns), ("DNS://x/a", .dns),
        ("https://a", .http), ("a", .icmp), ("::1", .icmp), ("10.0.0.1", .icmp), ("2001:db8::1", .icmp),
    ])
    func theKindIsGuessedFromHowATargetIsWritten(_ input: String, _ kind: TargetKind) {
        #expect(TargetKind.guess(input) == kind)
    }
}
