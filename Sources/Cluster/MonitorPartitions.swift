import BSON

/// Monitors are split into a fixed number of partitions by a hash of their id; each partition is
/// checked by the one instance holding its lease.
public enum MonitorPartitions {
    /// Fixed: a monitor's partition, and so the epochs written on it, must never change.
    public static let count = 64

    /// FNV-1a over the id's bytes: the same on every instance and every platform.
    public static func partition(of id: ObjectId) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }

    /// Which partitions `instance` should hold when `alive` (ids) are the live instances: round
    /// robin over the sorted ids, so shares differ by at most one partition.
    public static func assigned(to instance: String, alive: [String]) -> Set<Int> {
        let sorted = Set(alive + [instance]).sorted()
        guard let index = sorted.firstIndex(of: instance) else { return [] }
        return Set(stride(from: index, to: count, by: sorted.count))
    }
}
