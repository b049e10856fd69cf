import Foundation

/// How long leases last and how often they are renewed.
public struct ClusterConfiguration: Sendable {
    /// A lease not renewed for this long is free for another instance.
    public var leaseTime: Duration
    /// How often leases are renewed and the instances looked at.
    public var renewInterval: Duration
    /// A lease counts as held only until this long before it expires (clock drift, a slow reply).
    public var safetyMargin: Duration

    public init(
        leaseTime: Duration = .seconds(10), renewInterval: Duration = .seconds(2), safetyMargin: Duration = .seconds(2)
    ) {
        self.leaseTime = leaseTime
        self.renewInterval = renewInterval
        self.safetyMargin = min(safetyMargin, leaseTime / 2)
    }
}
