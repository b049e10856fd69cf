import Glibc

/// Why one target could not be probed (carried in `PingResult.error`).
public enum PingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The hostname did not resolve; `reason` is getaddrinfo's message.
    case resolveFailed(host: String, reason: String)
    /// Too many lookups wait for the resolver already; the name is tried again at its next check.
    case resolverBusy(host: String)
    /// The target's address family has no socket here (e.g. IPv6 disabled on the host).
    case addressFamilyUnavailable(host: String, family: String)
    /// The kernel refused to send (e.g. no route to the network); the probe counts as lost.
    case sendFailed(host: String, errno: Int32)
    /// The caller's admission rule (the target policy) refused the resolved address: nothing was sent.
    case refused(host: String, reason: String)
    /// The calling task was cancelled before every probe finished.
    case cancelled
    /// The pinger was shut down before every probe finished.
    case shutdown

    public var description: String {
        switch self {
        case .resolveFailed(let host, let reason): "cannot resolve \(host): \(reason)"
        case .resolverBusy(let host): "cannot resolve \(host) now: too many lookups waiting for DNS"
        case .addressFamilyUnavailable(let host, let family):
            "cannot ping \(host): no \(family) ICMP socket on this host"
        case .sendFailed(let host, let code): "cannot send to \(host): \(String(cString: strerror(code)))"
        case .refused(_, let reason): reason
        case .cancelled: "ping cancelled"
        case .shutdown: "pinger shut down"
        }
    }
}

/// Why the pinger could not open its sockets (thrown by `ICMPPinger.init`).
public enum ICMPSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither raw sockets (CAP_NET_RAW) nor ICMP datagram sockets (net.ipv4.ping_group_range) are allowed.
    case notPermitted(executable: String, groupID: UInt32)
    /// Another socket call failed; `operation` names it.
    case systemCallFailed(operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .notPermitted(let executable, let groupID):
            "ICMP not permitted: raw sockets need CAP_NET_RAW and group \(groupID) is outside net.ipv4.ping_group_range; "
                + "grant one: `cap_add: [NET_RAW]` in compose, `setcap cap_net_raw+ep \(executable)`, "
                + "or `sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"`"
        case .systemCallFailed(let operation, let code):
            "ICMP socket setup failed: \(operation): \(String(cString: strerror(code)))"
        }
    }
}
