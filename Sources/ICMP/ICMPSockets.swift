import CICMP
import Glibc
import Logging

/// Which kind of ICMP socket the pinger uses.
public enum ICMPSocketMode: String, Sendable, CustomStringConvertible {
    /// `SOCK_RAW`: needs CAP_NET_RAW; identifier chosen by us, `ICMP_FILTER` keeps other ICMP out.
    case raw
    /// `SOCK_DGRAM` + `IPPROTO_ICMP`: unprivileged when the group is in net.ipv4.ping_group_range;
    /// the kernel picks the identifier and delivers only this socket's replies.
    case datagram

    public var description: String { rawValue }
}

/// The pinger's two sockets, one per address family, both in one mode; -1 where a family is missing.
struct ICMPSockets: Sendable {
    let mode: ICMPSocketMode
    let v4: Int32
    let v6: Int32
    /// SO_TIMESTAMPNS took: replies carry their receive time, so reading them late costs no accuracy.
    var kernelTimestamps = true

    /// Enough for a few seconds of replies at tens of thousands per second.
    static let receiveBufferBytes: Int32 = 4 << 20

    /// Opens raw sockets, or datagram sockets when raw ones are not permitted (or `mode` asks for them).
    static func open(mode requested: ICMPSocketMode?, logger: Logger) throws(ICMPSocketError) -> ICMPSockets {
        for mode in requested.map({ [$0] }) ?? [.raw, .datagram] {
            let (v4, v4Error) = openSocket(family: AF_INET, mode: mode)
            let (v6, v6Error) = openSocket(family: AF_INET6, mode: mode)
            guard v4 >= 0 || v6 >= 0 else {
                if [v4Error, v6Error].contains(where: { $0 == EPERM || $0 == EACCES }) { continue }
                throw .systemCallFailed(operation: "socket(AF_INET, \(mode))", errno: v4Error)
            }
            var sockets = ICMPSockets(mode: mode, v4: v4, v6: v6)
            sockets.kernelTimestamps = sockets.configure(logger: logger)
            if v4 < 0 {
                logger.warning(
                    "no IPv4 ICMP socket; IPv4 targets will fail",
                    metadata: ["error": "\(String(cString: strerror(v4Error)))"])
            }
            if v6 < 0 {
                logger.notice(
                    "no IPv6 ICMP socket; IPv6 targets will fail",
                    metadata: ["error": "\(String(cString: strerror(v6Error)))"])
            }
            logger.debug("ICMP sockets open", metadata: ["mode": "\(mode)"])
            return sockets
        }
        throw .notPermitted(executable: executablePath(), groupID: getegid())
    }

    /// The descriptor, or -1 and the errno.
    private static func openSocket(family: Int32, mode: ICMPSocketMode) -> (Int32, Int32) {
        let type = (mode == .raw ? Int32(SOCK_RAW.rawValue) : Int32(SOCK_DGRAM.rawValue)) | Int32(SOCK_CLOEXEC.rawValue)
        let proto = family == AF_INET ? Int32(IPPROTO_ICMP) : Int32(IPPROTO_ICMPV6)
        let fd = socket(family, type, proto)
        return (fd, fd >= 0 ? 0 : errno)
    }

    /// Best effort: a failure here costs speed or filtering, never correctness, so it is logged only.
    /// Returns whether every socket gives kernel receive timestamps.
    private func configure(logger: Logger) -> Bool {
        var timestamps = true
        for fd in [v4, v6] where fd >= 0 {
            var size = Self.receiveBufferBytes
            // SO_RCVBUFFORCE passes net.core.rmem_max but needs CAP_NET_ADMIN; SO_RCVBUF is capped by it.
            if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0,
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) != 0
            {
                logger.warning(
                    "cannot enlarge ICMP receive buffer", metadata: ["error": "\(String(cString: strerror(errno)))"])
            }
            // Kernel receive timestamps keep RTTs exact when replies are read in batches.
            var on: Int32 = 1
            if setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                logger.notice("no kernel receive timestamps; replies are read as they come")
                timestamps = false
            }
        }
        guard mode == .raw else { return timestamps }
        // A raw socket sees every ICMP packet the host receives; let only echo replies wake the pinger.
        if v4 >= 0, cicmp_set_icmp_filter_echo_reply_only(v4) != 0 {
            logger.warning("ICMP_FILTER not applied", metadata: ["error": "\(String(cString: strerror(errno)))"])
        }
        if v6 >= 0, cicmp_set_icmp6_filter_echo_reply_only(v6) != 0 {
            logger.warning("ICMP6_FILTER not applied", metadata: ["error": "\(String(cString: strerror(errno)))"])
        }
        return timestamps
    }

    func close() {
        if v4 >= 0 { _ = Glibc.close(v4) }
        if v6 >= 0 { _ = Glibc.close(v6) }
    }

    func descriptor(for address: IPAddress) -> Int32 { address.isV4 ? v4 : v6 }

    /// The running binary, so the setcap advice names the file to grant.
    private static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return length > 0 ? String(nulTerminated: buffer) : "/path/to/uptime-bot"
    }
}
