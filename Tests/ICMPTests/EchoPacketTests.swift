import Testing

@testable import ICMP

struct EchoPacketTests {
    @Test func checksumMatchesTheRFC1071Example() {
        let bytes: [UInt8] = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]
        #expect(bytes.withUnsafeBytes { EchoPacket.checksum($0) } == ~UInt16(0xDDF2))
    }

    @Test func echoRequestCarriesIdentifierSequenceAndAValidChecksum() {
        var packet = [UInt8](repeating: 0xAA, count: EchoPacket.headerSize)
        packet.withUnsafeMutableBytes {
            EchoPacket.writeRequest(into: $0.baseAddress!, v6: false, identifier: 0x1234, sequence: 0xBEEF)
        }
        #expect(Array(packet[0...1]) == [8, 0])
        #expect(Array(packet[4...]) == [0x12, 0x34, 0xBE, 0xEF])
        #expect(packet.withUnsafeBytes { EchoPacket.checksum($0) } == 0, "a packet with its checksum sums to zero")
    }

    @Test func replyParserSkipsTheIPv4HeaderOnlyOnRawSockets() {
        let icmp: [UInt8] = [0, 0, 0, 0, 0x12, 0x34, 0x00, 0x07]
        let ipHeader: [UInt8] = [0x46] + [UInt8](repeating: 0, count: 23)  // IHL 6: a 24-byte header with options
        let raw = (ipHeader + icmp).withUnsafeBytes { EchoPacket.parseReply($0, hasIPv4Header: true, v6: false) }
        #expect(raw?.identifier == 0x1234 && raw?.sequence == 7)
        let datagram = icmp.withUnsafeBytes { EchoPacket.parseReply($0, hasIPv4Header: false, v6: false) }
        #expect(datagram?.sequence == 7)
        let request: [UInt8] = [8, 0, 0, 0, 0x12, 0x34, 0, 7]
        #expect(request.withUnsafeBytes { EchoPacket.parseReply($0, hasIPv4Header: false, v6: false) } == nil)
        let v6Reply: [UInt8] = [129, 0, 0, 0, 0, 1, 0, 2]
        #expect(v6Reply.withUnsafeBytes { EchoPacket.parseReply($0, hasIPv4Header: false, v6: true) }?.sequence == 2)
    }

    @Test func numericAddressesParseAndPrintBackWhileHostnamesDoNot() {
        for text in ["127.0.0.1", "10.200.3.9", "::1", "2001:db8::42", "fe80::1%lo"] {
            #expect(IPAddress(numeric: text)?.description == text)
        }
        for text in ["localhost", "example.org", "256.1.1.1", "1.2.3", "", "fe80::1%no-such-interface"] {
            #expect(IPAddress(numeric: text) == nil, "\(text)")
        }
        #expect(IPAddress(numeric: "127.0.0.1")?.isV4 == true && IPAddress(numeric: "::1")?.isV4 == false)
    }

    @Test func optionsAreClampedToWhatCanBeSent() {
        let odd = PingOptions.Normalized(
            PingOptions(probes: 0, interval: .seconds(-1), timeout: .zero, packetsPerSecond: 0, payloadSize: 1 << 20))
        #expect(odd.probes == 1 && odd.intervalNanoseconds == 0 && odd.timeoutNanoseconds > 0)
        #expect(odd.sendGapNanoseconds == 0 && odd.payloadSize == PingOptions.maximumPayloadSize)
        #expect(PingOptions.Normalized(PingOptions(packetsPerSecond: 1000)).sendGapNanoseconds == 1_000_000)
    }

    @Test func notPermittedErrorIsOneLineNamingEveryWayToGrantICMP() {
        let text = ICMPSocketError.notPermitted(executable: "/usr/local/bin/uptime-bot", groupID: 1000).description
        #expect(!text.contains("\n"))
        #expect(text.contains("cap_add: [NET_RAW]") && text.contains("setcap cap_net_raw+ep /usr/local/bin/uptime-bot"))
        #expect(text.contains("net.ipv4.ping_group_range") && text.contains("1000"))
    }

    @Test func lossIsTheShareOfUnansweredProbes() {
        #expect(PingResult(target: "a", address: nil, sent: 4, received: 3).loss == 0.25)
        #expect(PingResult(target: "a", address: nil, sent: 0, received: 0).loss == 1)
        #expect(!PingResult(target: "a", address: nil, sent: 3, received: 0).isReachable)
    }
}
