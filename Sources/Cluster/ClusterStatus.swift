import Foundation
import Mongo

/// The cluster as MongoDB holds it, for `uptime-bot status`: instances with their last heartbeat,
/// the poller and outbox leases, and who holds each monitor partition.
public struct ClusterStatus: Sendable {
    public let instances: [InstanceRecord]
    public let leases: [Lease]
    public let now: Date

    public static func read(_ database: MongoDatabase, now: Date = Date()) async throws -> ClusterStatus {
        ClusterStatus(
            instances: try await InstanceRegistry(database: database).all(),
            leases: try await LeaseStore(database: database).all(), now: now)
    }

    /// Plain text, one line per instance and lease; partitions summed per holder.
    public var text: String {
        var lines: [String] = []
        let alive = instances.filter { $0.isAlive(at: now) }
        lines.append("instances: \(alive.count) alive, \(instances.count - alive.count) gone")
        for instance in instances {
            let age = Int(now.timeIntervalSince(instance.heartbeatAt).rounded())
            lines.append(
                "  \(instance.id)  \(instance.isAlive(at: now) ? "alive" : "gone ")  host \(instance.host)  "
                    + "last heartbeat \(age) s ago  partitions \(instance.partitions.count)")
        }
        lines.append("leases:")
        for name in [LeaseName.poller, LeaseName.outbox] {
            if let lease = leases.first(where: { $0.name == name }) {
                lines.append("  \(name)  \(describe(lease))")
            } else {
                lines.append("  \(name)  never taken")
            }
        }
        let partitions = leases.filter { LeaseName.partitionIndex($0.name) != nil }
        let held = partitions.filter { $0.expiresAt > now }
        lines.append("partitions: \(held.count) of \(MonitorPartitions.count) held")
        for (holder, count) in Dictionary(grouping: held, by: \.holder).mapValues(\.count).sorted(by: {
            $0.key < $1.key
        }) {
            lines.append("  \(holder)  \(count)")
        }
        if held.count < MonitorPartitions.count {
            lines.append(
                "  unheld: \(MonitorPartitions.count - held.count) (taken at the next renewal of a live instance)")
        }
        return lines.joined(separator: "\n")
    }

    private func describe(_ lease: Lease) -> String {
        let left = Int(lease.expiresAt.timeIntervalSince(now).rounded())
        return lease.expiresAt > now
            ? "held by \(lease.holder), epoch \(lease.epoch), expires in \(left) s"
            : "free (last \(lease.holder), epoch \(lease.epoch))"
    }
}
