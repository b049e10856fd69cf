import Glibc

/// An IPv4 or IPv6 address held inline, so the send and match paths copy words, not heap memory.
enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// `s_addr` exactly as `sockaddr_in` stores it (network byte order).
    case v4(UInt32)
    /// The 16 address bytes as two words in memory order, and the interface for link-local addresses.
    case v6(UInt64, UInt64, scope: UInt32)

    /// Parses a numeric address ("127.0.0.1", "::1", "fe80::1%eth0"); nil for anything else, e.g. hostnames.
    init?(numeric text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self = .v4(v4.s_addr)
            return
        }
        guard text.contains(":") else { return nil }
        var address = Substring(text)
        var scope: UInt32 = 0
        if let percent = text.firstIndex(of: "%") {
            address = text[..<percent]
            let zone = String(text[text.index(after: percent)...])
            scope = UInt32(zone) ?? if_nametoindex(zone)
            if scope == 0 { return nil }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, String(address), &v6) == 1 else { return nil }
        self = IPAddress(v6, scope: scope)
    }

    init(_ address: in6_addr, scope: UInt32) {
        let words = withUnsafeBytes(of: address) {
            ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        self = .v6(words.0, words.1, scope: scope)
    }

    /// The address in a `sockaddr` from the kernel (getaddrinfo, recvmsg); nil for other families.
    init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            self = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { .v4($0.pointee.sin_addr.s_addr) }
        case AF_INET6:
            self = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                IPAddress($0.pointee.sin6_addr, scope: $0.pointee.sin6_scope_id)
            }
        default:
            return nil
        }
    }

    var isV4: Bool { if case .v4 = self { true } else { false } }

    var familyName: String { isV4 ? "IPv4" : "IPv6" }

    /// Same host, ignoring the scope: replies to a global IPv6 address carry scope 0 whatever we sent.
    func isSameHost(as other: IPAddress) -> Bool {
        switch (self, other) {
        case (.v4(let a), .v4(let b)): a == b
        case (.v6(let a0, let a1, _), .v6(let b0, let b1, _)): a0 == b0 && a1 == b1
        default: false
        }
    }

    func fill(_ address: UnsafeMutablePointer<sockaddr_in>) {
        guard case .v4(let raw) = self else { return }
        address.pointee.sin_family = sa_family_t(AF_INET)
        address.pointee.sin_port = 0
        address.pointee.sin_addr.s_addr = raw
    }

    func fill(_ address: UnsafeMutablePointer<sockaddr_in6>) {
        guard case .v6(let high, let low, let scope) = self else { return }
        address.pointee.sin6_family = sa_family_t(AF_INET6)
        address.pointee.sin6_port = 0
        address.pointee.sin6_flowinfo = 0
        address.pointee.sin6_scope_id = scope
        withUnsafeMutableBytes(of: &address.pointee.sin6_addr) {
            $0.storeBytes(of: high, as: UInt64.self)
            $0.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
        }
    }

    var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch self {
        case .v4(let raw):
            var address = in_addr(s_addr: raw)
            inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
            return String(nulTerminated: text)
        case .v6(_, _, let scope):
            var storage = sockaddr_in6()
            fill(&storage)
            inet_ntop(AF_INET6, &storage.sin6_addr, &text, socklen_t(text.count))
            let numeric = String(nulTerminated: text)
            guard scope != 0 else { return numeric }
            var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
            return if_indextoname(scope, &name) != nil
                ? "\(numeric)%\(String(nulTerminated: name))" : "\(numeric)%\(scope)"
        }
    }
}

extension String {
    /// Text a C call wrote into a buffer, up to its NUL.
    init(nulTerminated buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
