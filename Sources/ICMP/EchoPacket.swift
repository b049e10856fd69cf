/// ICMP echo request/reply wire format (RFC 792, RFC 4443): type, code, checksum, identifier, sequence.
enum EchoPacket {
    static let headerSize = 8
    static let requestV4: UInt8 = 8
    static let replyV4: UInt8 = 0
    static let requestV6: UInt8 = 128
    static let replyV6: UInt8 = 129

    /// Writes an echo request header at `buffer`. The payload after it stays zero, so the checksum
    /// covers the header alone. ICMPv6 and datagram sockets get their checksum from the kernel,
    /// which ignores what is written here.
    static func writeRequest(into buffer: UnsafeMutableRawPointer, v6: Bool, identifier: UInt16, sequence: UInt16) {
        buffer.storeBytes(of: v6 ? requestV6 : requestV4, as: UInt8.self)
        buffer.storeBytes(of: 0, toByteOffset: 1, as: UInt8.self)
        buffer.storeBytes(of: 0, toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: identifier.bigEndian, toByteOffset: 4, as: UInt16.self)
        buffer.storeBytes(of: sequence.bigEndian, toByteOffset: 6, as: UInt16.self)
        if !v6 {
            let sum = checksum(UnsafeRawBufferPointer(start: buffer, count: headerSize))
            buffer.storeBytes(of: sum.bigEndian, toByteOffset: 2, as: UInt16.self)
        }
    }

    /// The Internet checksum (RFC 1071) of `bytes`, as a host-order number to store big-endian.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum &+= UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }

    struct Reply {
        var identifier: UInt16
        var sequence: UInt16
    }

    /// The identifier and sequence of an echo reply, or nil for anything else.
    /// Raw IPv4 sockets hand over the IP header too; every other socket starts at the ICMP header.
    static func parseReply(_ bytes: UnsafeRawBufferPointer, hasIPv4Header: Bool, v6: Bool) -> Reply? {
        var offset = 0
        if hasIPv4Header {
            guard bytes.count >= 20 else { return nil }
            offset = Int(bytes[0] & 0x0F) * 4
        }
        guard offset >= 0, bytes.count >= offset + headerSize,
            bytes[offset] == (v6 ? replyV6 : replyV4), bytes[offset + 1] == 0
        else { return nil }
        let identifier = UInt16(bytes[offset + 4]) << 8 | UInt16(bytes[offset + 5])
        let sequence = UInt16(bytes[offset + 6]) << 8 | UInt16(bytes[offset + 7])
        return Reply(identifier: identifier, sequence: sequence)
    }
}
