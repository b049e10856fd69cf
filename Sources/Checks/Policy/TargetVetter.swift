import ICMP
import Targets

/// Judges a target as a user wrote it, before it is saved or checked: its host is resolved here
/// and every address it resolves to must be allowed (`TargetPolicy`). A name that does not resolve
/// now is judged by name only; the checks judge the address they actually use anyway.
public struct TargetVetter: Sendable {
    public let policy: TargetPolicy
    private let resolver: HostResolver

    public init(policy: TargetPolicy, resolver: HostResolver = HostResolver()) {
        self.policy = policy
        self.resolver = resolver
    }

    public func refusal(for target: CheckTarget) async -> TargetRefusal? {
        guard let host = Self.host(of: target) else { return nil }
        if let address = IPBytes(host) {
            return policy.refusal(address: address, host: nil, ownerIsAdmin: target.ownerIsAdmin)
        }
        guard case .success(let addresses) = await resolver.addresses(of: host) else {
            return policy.refusal(host: host, ownerIsAdmin: target.ownerIsAdmin)
        }
        return policy.refusal(
            addresses: addresses.compactMap(IPBytes.init), host: host, ownerIsAdmin: target.ownerIsAdmin)
    }

    /// Where the check's packets go: the site's host, the TCP host, the DNS server (nil: the system
    /// resolver, the operator's own), the pinged host. A target that does not parse is left to its check.
    static func host(of target: CheckTarget) -> String? {
        switch target.kind {
        case .http: return HTTPChecker.host(of: target.target)
        case .tcp: return try? TCPTarget(parsing: target.target).host
        case .dns: return (try? DNSTarget(parsing: target.target))?.server
        case .icmp: return target.target
        }
    }
}
