import Bot
import Checks
import ICMP
import Logging
import Storage

/// Builds the target policy from TARGET_ALLOW / TARGET_DENY and the bot's own MongoDB host, and
/// the add dialog's view of it. One policy value serves the checks, the start-up sweep and the chat.
enum TargetPolicyWiring {
    /// MongoDB's host names are resolved once, at start. A loopback database (a native install with
    /// mongod beside the bot) is left to the loopback rule: already refused to everyone but admins.
    static func policy(settings: Settings, resolver: HostResolver, logger: Logger) async -> TargetPolicy {
        let hosts = settings.mongoURI.map(TargetPolicy.databaseHosts(inURI:)) ?? []
        var addresses = Set<IPBytes>()
        for host in hosts {
            switch await resolver.addresses(of: host) {
            case .success(let resolved):
                addresses.formUnion(resolved.compactMap(IPBytes.init))
            case .failure(let error):
                // Denied by name all the same; its addresses would be judged by the other rules.
                logger.warning(
                    "target policy: cannot resolve the MongoDB host to deny it", metadata: ["error": "\(error)"])
            }
        }
        let loopback = TargetPolicy.loopback
        addresses = addresses.filter { address in !loopback.contains { $0.contains(address) } }
        let loopbackNames: Set<String> = ["localhost", "localhost.localdomain", "ip6-localhost"]
        return TargetPolicy(
            allow: settings.targetAllow, deny: settings.targetDeny,
            databaseHosts: Set(hosts).subtracting(loopbackNames).filter { IPBytes($0) == nil },
            databaseAddresses: addresses)
    }

    static func vetting(_ vetter: TargetVetter) -> TargetVetting {
        TargetVetting { kind, target, ownerIsAdmin, language in
            await vetter.refusal(
                for: CheckTarget(kind: kind, target: target, ownerIsAdmin: ownerIsAdmin))?
                .description(in: language)
        }
    }
}
