#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16), parsed with inet_pton, so
/// "127.0.0.1", "::1" and "[::1]" read as libcurl and getaddrinfo write them.
public struct IPBytes: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public var isV4: Bool { bytes.count == 4 }

    public init?(_ text: String) {
        var bare = Substring(text)
        if bare.hasPrefix("["), bare.hasSuffix("]") { bare = bare.dropFirst().dropLast() }
        // A zone ("fe80::1%eth0") names an interface, not part of the address.
        if let percent = bare.firstIndex(of: "%") { bare = bare[..<percent] }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(bare), &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, String(bare), &v6) == 1 else { return nil }
        let all = withUnsafeBytes(of: &v6) { Array($0) }
        // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) reaches the IPv4 host: judge it as that.
        if all[0..<10].allSatisfy({ $0 == 0 }), all[10] == 0xff, all[11] == 0xff {
            bytes = Array(all[12...])
        } else {
            bytes = all
        }
    }

    public var description: String {
        if isV4 { return bytes.map(String.init).joined(separator: ".") }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
        guard inet_ntop(AF_INET6, &v6, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A CIDR block ("10.0.0.0/8", "fe80::/10"); a bare address is a block of one.
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    public let network: IPBytes
    public let prefixLength: Int

    /// Nil for anything that is not `address[/bits]` with bits within the family's length.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let address = IPBytes(String(first)) else { return nil }
        // "::ffff:10.0.0.0/104" was mapped to IPv4 above: its prefix counts the 96 bits dropped.
        let mappedDown = address.isV4 && first.contains(":")
        let writtenMax = mappedDown ? 128 : address.bytes.count * 8
        let bits: Int
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
                let written = Int(parts[1]), written <= writtenMax, !mappedDown || written >= 96
            else { return nil }
            bits = mappedDown ? written - 96 : written
        } else {
            bits = address.bytes.count * 8
        }
        network = address
        prefixLength = bits
    }

    public func contains(_ address: IPBytes) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for index in 0..<network.bytes.count where remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = take == 8 ? 0xff : ~(0xff >> UInt8(take))
            if network.bytes[index] & mask != address.bytes[index] & mask { return false }
            remaining -= take
        }
        return true
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
