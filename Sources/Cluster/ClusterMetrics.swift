import Foundation
import MetricNames
import Metrics

/// The cluster's gauges: leases held, partitions owned, instances alive, time since the last renewal.
struct ClusterMetrics: Sendable {
    private let poller = Gauge(label: MetricName.clusterLeaseHeld, dimensions: [("lease", "poller")])
    private let outbox = Gauge(label: MetricName.clusterLeaseHeld, dimensions: [("lease", "outbox")])
    private let partitions = Gauge(label: MetricName.clusterPartitionsOwned)
    private let instances = Gauge(label: MetricName.clusterInstancesAlive)
    private let lag = Gauge(label: MetricName.clusterLeaseLag)

    func record(_ membership: ClusterMembership) {
        let now = Date()
        poller.record(membership.lease(LeaseName.poller, now: now) == nil ? 0 : 1)
        outbox.record(membership.lease(LeaseName.outbox, now: now) == nil ? 0 : 1)
        partitions.record(membership.partitions.count)
        instances.record(membership.aliveInstances)
        lag.record(membership.lastRenewal.map { now.timeIntervalSince($0) } ?? 0)
    }
}
