import BSON
import Foundation

/// One document of `leases`: who holds it, its epoch (raised each time the holder changes, so a
/// deposed holder's late writes can be told apart and refused) and until when it is held.
public struct Lease: Sendable, Equatable {
    public var name: String
    public var holder: String
    public var epoch: Int64
    public var expiresAt: Date

    public init(name: String, holder: String, epoch: Int64, expiresAt: Date) {
        self.name = name
        self.holder = holder
        self.epoch = epoch
        self.expiresAt = expiresAt
    }

    /// A stored lease; nil for a document edited into something else (it is then taken over as expired).
    init?(_ document: BSONDocument) {
        guard let name = document["_id"]?.stringValue else { return nil }
        self.name = name
        holder = document["holder"]?.stringValue ?? ""
        epoch = Int64(document["epoch"]?.intValue ?? 0)
        expiresAt = document["expires_at"]?.dateValue ?? .distantPast
    }
}

/// The names of the leases the cluster keeps.
public enum LeaseName {
    /// The one instance that long-polls Telegram.
    public static let poller = "poller"
    /// The one instance that delivers the outbox.
    public static let outbox = "outbox"
    /// Monitor partition `index` (0 ..< `MonitorPartitions.count`).
    public static func partition(_ index: Int) -> String { "partition:\(index)" }

    /// The partition a lease name stands for, if it is one.
    public static func partitionIndex(_ name: String) -> Int? {
        guard name.hasPrefix("partition:") else { return nil }
        return Int(name.dropFirst("partition:".count))
    }
}

extension Duration {
    var seconds: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
