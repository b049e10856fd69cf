import ICMP

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
        let host = target.kind == .http ? HTTPChecker.host(of: target.target) : target.target
        if let address = IPBytes(host) {
            return policy.refusal(address: address, host: nil, ownerIsAdmin: target.ownerIsAdmin)
        }
        guard case .success(let addresses) = await resolver.addresses(of: host) else {
            return policy.refusal(host: host, ownerIsAdmin: target.ownerIsAdmin)
        }
        return policy.refusal(
            addresses: addresses.compactMap(IPBytes.init), host: host, ownerIsAdmin: target.ownerIsAdmin)
    }
}
