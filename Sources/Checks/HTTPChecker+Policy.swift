import Curl
import ICMP

/// The target policy on HTTP checks. Directly, the request's `ConnectionGate` judges the address
/// of every connection, the first and each redirect hop's, before libcurl connects to it.
/// Through a proxy that address is the proxy's: the target's host is then resolved and judged
/// before the request, and each redirect hop by its host name (a literal address in full, a name by
/// TARGET_DENY's suffixes) — the proxy resolves those names itself, so its own ACLs should deny
/// the internal ranges too.
extension HTTPChecker {
    func connectionGate(ownerIsAdmin: Bool) -> ConnectionGate? {
        guard let policy else { return nil }
        let (proxy, noProxy, environment) = (self.proxy, self.noProxy, self.environment)
        return ConnectionGate { url, address, _ in
            let host = Self.host(of: url)
            if ProxyRoute.proxy(for: url, setting: proxy, noProxy: noProxy, environment: environment) != nil {
                return policy.refusal(host: host, ownerIsAdmin: ownerIsAdmin)?.description
            }
            guard let connected = IPBytes(address) else {
                return "\(host): the connected address \(address) cannot be judged by the target policy"
            }
            return policy.refusal(address: connected, host: host, ownerIsAdmin: ownerIsAdmin)?.description
        }
    }

    /// Through a proxy: the refusal for the addresses the URL's host resolves to here. A name that
    /// does not resolve here is left to the proxy (its DNS may differ), judged by name at connect.
    func proxiedTargetRefusal(_ url: String, ownerIsAdmin: Bool) async -> String? {
        guard let policy, ProxyRoute.proxy(for: url, setting: proxy, noProxy: noProxy, environment: environment) != nil
        else { return nil }
        let host = Self.host(of: url)
        guard case .success(let addresses) = await resolver.addresses(of: host) else {
            return policy.refusal(host: host, ownerIsAdmin: ownerIsAdmin)?.description
        }
        return policy.refusal(addresses: addresses.compactMap(IPBytes.init), host: host, ownerIsAdmin: ownerIsAdmin)?
            .description
    }
}
