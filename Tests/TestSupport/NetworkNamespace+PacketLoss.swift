/// How a namespace was made to lose packets.
public enum PacketLossMethod: String, Sendable {
    /// `tc qdisc … netem loss N%` on the namespace's end of the veth (its replies are lost at random).
    case netem
    /// nftables in the namespace dropping every n-th echo request (`numgen inc mod n`), for kernels
    /// built without sch_netem (this development VM's is one): the same loss, and deterministic.
    case nftables
}

extension NetworkNamespace {
    /// Makes the namespace lose half of the pings sent to `namespaceAddress`: with `tc netem` when
    /// the kernel has it, else with nftables. Undo with `restorePackets()`; removing the namespace
    /// removes either.
    @discardableResult
    public func loseHalfThePackets() async throws -> PacketLossMethod {
        do {
            try await run(["/usr/sbin/tc", "qdisc", "replace", "dev", vethInNamespace, "root", "netem", "loss", "50%"])
            return .netem
        } catch let error as NetworkNamespaceError {
            guard case .commandFailed(_, _, let message) = error, message.contains("qdisc kind is unknown") else {
                throw error
            }
        }
        try await run(["/usr/sbin/nft", "add", "table", "inet", "uptimebot_loss"])
        try await run([
            "/usr/sbin/nft", "add", "chain", "inet", "uptimebot_loss", "input",
            "{ type filter hook input priority 0 ; }",
        ])
        try await run([
            "/usr/sbin/nft", "add", "rule", "inet", "uptimebot_loss", "input", "icmp", "type", "echo-request",
            "numgen", "inc", "mod", "2", "==", "0", "drop",
        ])
        return .nftables
    }

    /// Undoes `loseHalfThePackets()`.
    public func restorePackets(_ method: PacketLossMethod) async throws {
        switch method {
        case .netem: try await run(["/usr/sbin/tc", "qdisc", "del", "dev", vethInNamespace, "root"])
        case .nftables: try await run(["/usr/sbin/nft", "delete", "table", "inet", "uptimebot_loss"])
        }
    }
}
