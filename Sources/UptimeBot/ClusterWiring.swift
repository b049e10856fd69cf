import Cluster
import Foundation
import Health
import Logging
import Mongo
import TelegramAPI

/// This instance as a member of a cluster (CLUSTER, on by default on a replica set): its lease
/// coordinator and the view of what it holds, which the poller, the outbox and the scheduler read.
struct ClusterWiring {
    let membership: ClusterMembership
    let coordinator: ClusterCoordinator

    /// nil when this instance runs alone (memory storage, a standalone mongod, CLUSTER=off).
    static func make(settings: Settings, database: MongoDatabase?, logger: Logger) -> ClusterWiring? {
        guard let database, settings.cluster.isEnabled(uri: settings.mongoURI) else { return nil }
        // A name of this run: a restarted instance is a new holder, never mistaken for its old self.
        let token = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let membership = ClusterMembership(holder: "\(settings.instanceName)-\(token)")
        let coordinator = ClusterCoordinator(
            database: database, name: settings.instanceName, membership: membership, logger: logger)
        return ClusterWiring(membership: membership, coordinator: coordinator)
    }

    /// Readiness in a cluster: leases renewed lately; Telegram heard lately only by the poller's holder
    /// (a standby instance does not poll and is ready all the same).
    func readiness(poller: LongPoller) -> [ReadinessCheck] {
        let membership = self.membership
        return [
            ReadinessCheck("cluster") {
                guard let last = membership.lastRenewal else { return false }
                return Date().timeIntervalSince(last) < 30
            },
            ReadinessCheck("telegram") {
                guard membership.lease(LeaseName.poller) != nil else { return true }
                guard let last = poller.lastSuccessfulPoll else {
                    return Date().timeIntervalSince(membership.lastRenewal ?? .distantPast) < 90
                }
                return Date().timeIntervalSince(last) < 90
            },
        ]
    }
}
